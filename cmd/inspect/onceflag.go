package main

import "errors"

// onceString is a string flag that refuses a second value. As a plain string flag, a
// repeated -f kept only the last condition: '-f A -f B' quietly meant B alone.
type onceString struct {
	p   *string
	set bool
}

func (o *onceString) String() string {
	if o == nil || o.p == nil {
		return ""
	}
	return *o.p
}

func (o *onceString) Set(v string) error {
	if o.set {
		return errors.New("given twice: join the conditions with 'and' in one flag")
	}
	o.set = true
	*o.p = v
	return nil
}

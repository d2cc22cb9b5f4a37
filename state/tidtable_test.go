package state

import "testing"

func TestTidTableFreesEmptyPages(t *testing.T) {
	var tt tidTable
	a, b := &Thread{TID: 5}, &Thread{TID: 4100}
	tt.set(5, a)
	tt.set(4100, b)
	tt.set(-3, &Thread{TID: -3})
	if tt.get(5) != a || tt.get(4100) != b || tt.n != 3 {
		t.Fatalf("get after set: %v %v n=%d", tt.get(5), tt.get(4100), tt.n)
	}
	tt.delete(4100)
	if tt.pages[1] != nil || tt.get(4100) != nil {
		t.Errorf("the page of 4100 is kept after its last thread left")
	}
	if tt.pages[0] == nil || tt.get(5) != a {
		t.Errorf("the page of 5 is gone while 5 is in it")
	}
	tt.delete(-3)
	tt.delete(5)
	if tt.n != 0 || tt.pages[0] != nil {
		t.Errorf("n = %d, page 0 = %v after deleting everything", tt.n, tt.pages[0] != nil)
	}
}

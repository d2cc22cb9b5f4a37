package query

import (
	"math"
	"time"
)

// clockCache keeps what formatting an event time needs, so that printing evt.time does
// not go through time.Format (250 ns) for every line: the zone offset valid for a range
// of instants, and the date of one day.
type clockCache struct {
	loc            *time.Location
	zoneLo, zoneHi int64 // unix seconds where off applies, [lo, hi)
	off            int64
	day            int64 // days since the epoch, local, of y/m/d; MinInt64: none
	date           [10]byte
}

// offset returns the zone offset (seconds) of loc at unix second sec.
func (c *clockCache) offset(loc *time.Location, sec int64) int64 {
	if loc != c.loc || sec < c.zoneLo || sec >= c.zoneHi {
		t := time.Unix(sec, 0).In(loc)
		_, off := t.Zone()
		lo, hi := t.ZoneBounds()
		c.loc, c.off, c.zoneLo, c.zoneHi = loc, int64(off), math.MinInt64, math.MaxInt64
		if !lo.IsZero() {
			c.zoneLo = lo.Unix()
		}
		if !hi.IsZero() {
			c.zoneHi = hi.Unix()
		}
		c.day = math.MinInt64
	}
	return c.off
}

// appendClock appends ns as "15:04:05.000000000" in loc, with "2006-01-02 " before it
// when withDate, and without the fraction when !frac.
func (c *clockCache) appendClock(dst []byte, ns int64, loc *time.Location, withDate, frac bool) []byte {
	sec := floorDiv(ns, 1e9)
	nsec := ns - sec*1e9
	local := sec + c.offset(loc, sec)
	day := floorDiv(local, 86400)
	sod := local - day*86400
	if withDate {
		if day != c.day {
			c.day = day
			time.Unix(day*86400, 0).UTC().AppendFormat(c.date[:0], "2006-01-02")
		}
		dst = append(dst, c.date[:]...)
		dst = append(dst, ' ')
	}
	dst = append2(dst, sod/3600)
	dst = append(dst, ':')
	dst = append2(dst, sod/60%60)
	dst = append(dst, ':')
	dst = append2(dst, sod%60)
	if frac {
		dst = append(dst, '.')
		dst = appendFrac(dst, nsec)
	}
	return dst
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func append2(dst []byte, v int64) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

// appendFrac appends nine digits.
func appendFrac(dst []byte, v int64) []byte {
	var b [9]byte
	for i := 8; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return append(dst, b[:]...)
}

package scap

import "fmt"

// readSection parses the header blocks that follow a section header block (whose body
// is shb) up to the first event block or the next section header, which it leaves
// unread.
func readSection(br *blockReader, shb []byte) (*Section, error) {
	s := &Section{}
	if err := parseSHB(shb, s); err != nil {
		return nil, br.errAt("SHB block", br.lastOff, err)
	}
	for {
		typ, _, ok, err := br.peek()
		if err != nil {
			return s, err
		}
		if !ok || isEventBlock(typ) || typ == blkSHB {
			return s, nil
		}
		typ, body, _, err := br.next()
		if err != nil {
			return s, err
		}
		if err := s.addBlock(typ, body); err != nil {
			return s, br.errAt(blockName(typ)+" block", br.lastOff, err)
		}
	}
}

// addBlock parses one header block into s; unknown block types are counted.
func (s *Section) addBlock(typ uint32, body []byte) error {
	switch typ {
	case blkMI, blkMIInt:
		m, err := parseMI(body)
		s.Machine = m
		return err
	case blkFDL, blkFDLInt, blkFDLV2:
		fds, err := parseFDList(body, typ == blkFDLV2)
		s.FDs = append(s.FDs, fds...)
		return err
	case blkUL, blkULInt, blkULV2:
		return parseUserList(body, typ == blkULV2, s)
	case blkIL, blkILInt, blkILV2:
		return parseIfList(body, typ == blkILV2, s)
	}
	if v := plVersion(typ); v > 0 {
		ts, err := parseProcList(body, v)
		s.Threads = append(s.Threads, ts...)
		return err
	}
	if s.Skipped == nil {
		s.Skipped = make(map[uint32]int)
	}
	s.Skipped[typ]++
	return nil
}

// openStream starts reading a capture from its first byte: it checks the section
// header and parses the first section.
func openStream(br *blockReader) (*Section, error) {
	typ, _, ok, err := br.peek()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, br.errAt("section header", 0, fmt.Errorf("%w: empty input", ErrNotScap))
	}
	if typ != blkSHB {
		return nil, br.errAt("section header", 0, fmt.Errorf("%w: first block type %#x", ErrNotScap, typ))
	}
	_, body, _, err := br.next()
	if err != nil {
		return nil, err
	}
	return readSection(br, body)
}

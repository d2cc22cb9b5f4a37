package format

import (
	"fmt"
	"os"
)

// outputLoop writes frames in order, rotating and closing files on request. After a
// failure it keeps draining the queue so the caller never blocks, writing nothing.
func (p *pipeline) outputLoop() {
	defer p.wg.Done()
	o := p.out
	for j := range p.order {
		if j.ctl != ctlNone {
			j.ack <- p.control1(j)
			continue
		}
		<-j.done
		if p.failed.Load() {
			p.recycle(j)
			continue
		}
		err := j.err
		if err == nil {
			err = o.writeFrame(j)
		}
		p.recycle(j)
		if err != nil {
			p.fail(err)
			continue
		}
		p.fileBytes.Store(o.offset)
	}
}

func (p *pipeline) control1(j *job) error {
	if p.failed.Load() {
		return p.firstErr()
	}
	var err error
	switch j.ctl {
	case ctlFlush:
		if s, ok := p.out.w.(interface{ Flush() error }); ok {
			err = s.Flush()
		}
	case ctlClose:
		err = p.finishFile()
	case ctlRotate:
		if err = p.finishFile(); err == nil {
			err = p.openNext(j.name)
		}
	}
	if err != nil {
		p.fail(err)
	}
	return err
}

// finishFile writes the current file's footer and closes it.
func (p *pipeline) finishFile() error {
	o := p.out
	if err := o.finish(p.currentStats(), p.opts.SignKey); err != nil {
		return err
	}
	if o.name != "" && p.opts.OnRotate != nil {
		p.opts.OnRotate(o.name)
	}
	return nil
}

// openNext starts the next file of a rotated set, and removes the oldest files past
// MaxFiles.
func (p *pipeline) openNext(name string) error {
	o := p.out
	f, err := createFile(name)
	if err != nil {
		return err
	}
	o.w, o.closer, o.name = f, f, name
	o.hdr.Part++
	if err := o.start(); err != nil {
		return err
	}
	p.mu.Lock()
	p.fileList = append(p.fileList, name)
	var old []string
	if p.opts.MaxFiles > 0 && len(p.fileList) > p.opts.MaxFiles {
		n := len(p.fileList) - p.opts.MaxFiles
		old = append(old, p.fileList[:n]...)
		p.fileList = append(p.fileList[:0], p.fileList[n:]...)
	}
	p.mu.Unlock()
	for _, name := range old {
		if err := os.Remove(name); err != nil {
			return fmt.Errorf("remove rotated file: %w", err)
		}
	}
	p.fileBytes.Store(o.offset)
	return nil
}

func createFile(name string) (*os.File, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create trace: %w", err)
	}
	return f, nil
}

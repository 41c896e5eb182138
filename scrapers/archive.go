package scrapers

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nlnwa/gowarc/v3"
)

// archive writes every exchange as a WARC request record and a response
// record (WARC 1.1, gzipped per record), in files named for the source and
// the run, so evidence can be shown as it was served even after the source
// changes or disappears.
type archive struct {
	mu  sync.Mutex
	w   *gowarc.WarcFileWriter
	dir string // also where large records are buffered while built
}

func newArchive(dir, source string) *archive {
	name := &gowarc.PatternNameGenerator{
		Directory: dir,
		Prefix:    "exportwatch-" + source + "-",
		// No host name or IP in the name: finding them may touch the
		// network, and a run's files need only sort by time.
		Pattern: "%{prefix}s%{ts}s-%04{serial}d.%{ext}s",
	}
	return &archive{dir: dir, w: gowarc.NewWarcFileWriter(
		gowarc.WithFileNameGenerator(name),
		gowarc.WithCompression(true),
		gowarc.WithMaxFileSize(1<<30),
		// Each record is written straight to the file, so a killed run
		// loses none; no fsync per record, which would cost a disk flush
		// per page for the sake of power cuts alone.
		gowarc.WithFlush(false),
	)}
}

// openSuffix marks a WARC file still being written.
const openSuffix = ".open"

// finishAbandoned gives the files a killed run left open their final
// names, the names its document records already cite. Every record in
// them that a document cites was complete before the document was
// written.
func finishAbandoned(dir string) ([]string, error) {
	open, err := filepath.Glob(filepath.Join(dir, "*.warc.gz"+openSuffix))
	if err != nil {
		return nil, err
	}
	for _, f := range open {
		if err := os.Rename(f, strings.TrimSuffix(f, openSuffix)); err != nil {
			return nil, fmt.Errorf("finish abandoned archive: %w", err)
		}
	}
	return open, nil
}

func newRecordID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// write archives one exchange: the request as sent (with its body) and the
// response as received (status line, headers, the body bytes kept). It
// returns the reference documents carry, "FILE#RECORD-ID" of the response,
// and the response record's offset in its file.
func (a *archive) write(req *http.Request, reqBody []byte, resp *http.Response, body []byte, at time.Time) (string, int64, error) {
	return a.writeStream(req, reqBody, resp, bytes.NewReader(body), int64(len(body)), at)
}

// writeStream is write for a body read from r (size bytes), so a spooled
// download is archived without being held in memory: the WARC record's
// buffer spills to disk past a megabyte.
func (a *archive) writeStream(req *http.Request, reqBody []byte, resp *http.Response, body io.Reader, size int64, at time.Time) (string, int64, error) {
	// The request as the transport sent it: its headers are those set by
	// the time it reached the transport (the transport adds only framing).
	var reqBlock bytes.Buffer
	fmt.Fprintf(&reqBlock, "%s %s HTTP/1.1\r\nHost: %s\r\n", req.Method, req.URL.RequestURI(), req.URL.Host)
	rh := req.Header.Clone()
	// Credentials never reach an archive: a WARC file is evidence that is
	// shared, and an API key in it would be shared with it.
	for _, k := range secretHeaders {
		if rh.Get(k) != "" {
			rh.Set(k, "[redacted]")
		}
	}
	if len(reqBody) > 0 {
		rh.Set("Content-Length", strconv.Itoa(len(reqBody)))
	}
	if err := rh.Write(&reqBlock); err != nil {
		return "", 0, fmt.Errorf("archive request: %w", err)
	}
	reqBlock.WriteString("\r\n")
	reqBlock.Write(reqBody)

	var respBlock bytes.Buffer
	fmt.Fprintf(&respBlock, "HTTP/%d.%d %s\r\n", resp.ProtoMajor, resp.ProtoMinor, resp.Status)
	h := resp.Header.Clone()
	// The body stored is the one received, already decoded by the
	// transport; its framing headers would no longer describe it.
	h.Del("Transfer-Encoding")
	h.Del("Content-Encoding")
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	if err := h.Write(&respBlock); err != nil {
		return "", 0, fmt.Errorf("archive response: %w", err)
	}
	respBlock.WriteString("\r\n")

	respID, reqID := newRecordID(), newRecordID()
	response, err := record(gowarc.Response, respID, "", req.URL.String(), at, "application/http;msgtype=response",
		io.MultiReader(&respBlock, body), a.dir)
	if err != nil {
		return "", 0, err
	}
	request, err := record(gowarc.Request, reqID, respID, req.URL.String(), at, "application/http;msgtype=request", &reqBlock, a.dir)
	if err != nil {
		return "", 0, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	res := a.w.Write(response, request)
	for _, r := range res {
		if r.Err != nil {
			return "", 0, fmt.Errorf("write archive: %w", r.Err)
		}
	}
	return res[0].FileName + "#" + respID, res[0].FileOffset, nil
}

// writeResource archives content that was not fetched over HTTP (a local
// file given as a source) as a WARC resource record.
func (a *archive) writeResource(uri, contentType string, body []byte, at time.Time) (string, error) {
	id := newRecordID()
	rec, err := record(gowarc.Resource, id, "", uri, at, contentType, bytes.NewReader(body), a.dir)
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	res := a.w.Write(rec)
	if res[0].Err != nil {
		return "", fmt.Errorf("write archive: %w", res[0].Err)
	}
	return res[0].FileName + "#" + id, nil
}

func record(typ gowarc.RecordType, id, concurrentTo, uri string, at time.Time, contentType string, block io.Reader, tmpDir string) (gowarc.WarcRecord, error) {
	rb := gowarc.NewRecordBuilder(typ, gowarc.WithAddMissingDigest(true), gowarc.WithFixContentLength(true),
		gowarc.WithBufferMaxMemBytes(1<<20), gowarc.WithBufferTmpDir(tmpDir))
	if _, err := io.Copy(rb, block); err != nil {
		return nil, fmt.Errorf("archive %s record: %w", typ, err)
	}
	rb.AddWarcHeader(gowarc.WarcRecordID, id)
	rb.AddWarcHeaderTime(gowarc.WarcDate, at)
	rb.AddWarcHeader(gowarc.WarcTargetURI, uri)
	rb.AddWarcHeader(gowarc.ContentType, contentType)
	if concurrentTo != "" {
		rb.AddWarcHeader(gowarc.WarcConcurrentTo, concurrentTo)
	}
	rec, _, err := rb.Build()
	if err != nil {
		return nil, fmt.Errorf("archive %s record: %w", typ, err)
	}
	return rec, nil
}

// payload reads back the body of the response record at offset in file
// (a name in dir).
func payload(dir, file string, offset int64) ([]byte, error) {
	r, err := gowarc.NewWarcFileReader(filepath.Join(dir, file), offset)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rec, err := r.Next()
	if err != nil {
		return nil, err
	}
	defer rec.WarcRecord.Close()
	block, ok := rec.WarcRecord.Block().(gowarc.HttpResponseBlock)
	if !ok {
		return nil, fmt.Errorf("%s at %d is not an HTTP response record", file, offset)
	}
	p, err := block.PayloadBytes()
	if err != nil {
		return nil, err
	}
	return io.ReadAll(p)
}

func (a *archive) close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.w.Close(); err != nil {
		return fmt.Errorf("close archive: %w", err)
	}
	return nil
}

// secretHeaders are the request headers that carry credentials.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key"}

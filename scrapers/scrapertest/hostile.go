package scrapertest

import (
	"bytes"
	"compress/gzip"
)

// GzipBomb is size bytes of zeros gzipped (64 MiB come to about 64 KiB):
// a body that grows a thousandfold when the transport inflates it.
func GzipBomb(size int) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zeros := make([]byte, 1<<20)
	for ; size > 0; size -= len(zeros) {
		zw.Write(zeros[:min(size, len(zeros))])
	}
	zw.Close()
	return b.Bytes()
}

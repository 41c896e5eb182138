package api

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/exportwatch/exportwatch/api/model"
)

// Cursors are opaque to clients; inside they are offsets into the ordered
// result ("o:40"), which is stable while the graph is not written to.
const cursorPrefix = "o:"

func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.Itoa(offset)))
}

func decodeCursor(c *string) (int, error) {
	if c == nil || *c == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*c)
	if err != nil || !strings.HasPrefix(string(raw), cursorPrefix) {
		return 0, badInput("after: not a cursor this API gave out")
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(raw), cursorPrefix))
	if err != nil || n < 0 {
		return 0, badInput("after: not a cursor this API gave out")
	}
	return n + 1, nil
}

// page turns first/after into a skip and a limit.
func (r *Resolver) page(first *int, after *string) (skip, limit int, err error) {
	if limit, err = r.pageSize("first", first, 20); err != nil {
		return 0, 0, err
	}
	skip, err = decodeCursor(after)
	return skip, limit, err
}

func pageInfo(skip, n int, total int64) *model.PageInfo {
	pi := &model.PageInfo{HasPreviousPage: skip > 0, HasNextPage: int64(skip+n) < total}
	if n > 0 {
		start, end := encodeCursor(skip), encodeCursor(skip+n-1)
		pi.StartCursor, pi.EndCursor = &start, &end
	}
	return pi
}

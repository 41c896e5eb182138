package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/mmcdole/gofeed"
)

// feedLinks reads an RSS, Atom or JSON feed and returns the links of its
// first limit items (an item without a link is passed over).
//
// Only the feed's head is parsed: gofeed builds every item of a feed, and a
// feed of 100,000 items (24 MB) cost it 3 GB of allocations and 190 MB of
// live heap to keep 50 links. feedHead cuts the feed after its limit-th
// item, so the cost follows the limit, not the feed.
func feedLinks(body []byte, limit int) (links []string, err error) {
	defer func() {
		// gofeed panics on some malformed feeds (a JSON Feed item that is null): one bad feed is an error, not a crash.
		if r := recover(); r != nil {
			links, err = nil, fmt.Errorf("malformed feed: %v", r)
		}
	}()
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(feedHead(body, max(limit, 0))))
	if err != nil {
		return nil, err
	}
	for i, it := range feed.Items {
		if i >= limit {
			break
		}
		if it.Link != "" {
			links = append(links, it.Link)
		}
	}
	return links, nil
}

// feedPeek is how much of a feed gofeed's parser reads to tell its type.
const feedPeek = 4096

// feedHead returns the feed up to the end of its limit-th item, made whole
// again (the elements still open closed, or the JSON object ended), or the
// feed itself when it has no more items than that or cannot be read far
// enough to tell: gofeed then meets whatever is wrong with it.
func feedHead(body []byte, limit int) []byte {
	// gofeed tells the type from the start of a feed, as its own parser
	// does (and it copies what it is given).
	switch gofeed.DetectFeedType(bytes.NewReader(body[:min(len(body), feedPeek)])) {
	case gofeed.FeedTypeRSS, gofeed.FeedTypeAtom:
		if head, ok := xmlFeedHead(body, limit); ok {
			return head
		}
	case gofeed.FeedTypeJSON:
		if head, ok := jsonFeedHead(body, limit); ok {
			return head
		}
	}
	return body
}

// xmlFeedHead cuts an RSS or Atom feed after the end tag of its limit-th
// item or entry. It reads raw tokens, so the offsets are the body's own
// bytes; the declared charset is not decoded, since every charset a feed
// is written in spells its tags in ASCII.
func xmlFeedHead(body []byte, limit int) ([]byte, bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var open []xml.Name
	inItem, items := 0, 0 // inItem: how many of the open elements are items
	isItem := func(n xml.Name) bool {
		return strings.EqualFold(n.Local, "item") || strings.EqualFold(n.Local, "entry")
	}
	for {
		tok, err := d.RawToken()
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			open = append(open, t.Name)
			if isItem(t.Name) {
				inItem++
			}
		case xml.EndElement:
			if len(open) == 0 {
				return nil, false
			}
			closed := open[len(open)-1]
			open = open[:len(open)-1]
			if !isItem(closed) {
				continue
			}
			if inItem--; inItem > 0 {
				continue // an item inside an item is part of it
			}
			if items++; items < limit {
				continue
			}
			head := bytes.Clone(body[:d.InputOffset()])
			for i := len(open) - 1; i >= 0; i-- {
				head = append(head, "</"...)
				if open[i].Space != "" {
					head = append(head, open[i].Space+":"...)
				}
				head = append(head, open[i].Local+">"...)
			}
			return head, true
		}
	}
}

// jsonFeedHead keeps a JSON Feed's first limit items and every other
// member of its object as written.
func jsonFeedHead(body []byte, limit int) ([]byte, bool) {
	d := json.NewDecoder(bytes.NewReader(body))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var head bytes.Buffer
	head.WriteByte('{')
	member := func(key string, value []byte) {
		if head.Len() > 1 {
			head.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		head.Write(k)
		head.WriteByte(':')
		head.Write(value)
	}
	for d.More() {
		tok, err := d.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return nil, false
		}
		if key != "items" {
			var v json.RawMessage
			if err := d.Decode(&v); err != nil {
				return nil, false
			}
			member(key, v)
			continue
		}
		if tok, err := d.Token(); err != nil || tok != json.Delim('[') {
			// Not a list: gofeed decides what to make of it.
			return nil, false
		}
		var items bytes.Buffer
		items.WriteByte('[')
		for n := 0; d.More(); n++ {
			var v json.RawMessage
			if err := d.Decode(&v); err != nil {
				return nil, false
			}
			if n >= limit {
				continue // read past, one at a time, to the members after the list
			}
			if n > 0 {
				items.WriteByte(',')
			}
			items.Write(v)
		}
		if _, err := d.Token(); err != nil {
			return nil, false
		}
		items.WriteByte(']')
		member("items", items.Bytes())
	}
	head.WriteByte('}')
	return head.Bytes(), true
}

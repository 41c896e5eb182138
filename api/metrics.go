package api

import (
	"context"
	"regexp"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/exportwatch/exportwatch/graph"
)

// metrics are what /metrics exposes (Prometheus text format): requests and
// latency by GraphQL operation, errors by code, Neo4j statement latency,
// and how far the changes feed's readers are (feedCollector).
type metrics struct {
	registry  *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	errors    *prometheus.CounterVec
	neo4j     prometheus.Histogram
	neo4jErrs prometheus.Counter
	names     operationNames
}

func newMetrics(store *graph.Store) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "exportwatch_graphql_requests_total",
			Help: "GraphQL operations served, by operation name."}, []string{"operation"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "exportwatch_graphql_request_duration_seconds",
			Help: "Time to answer a GraphQL operation.", Buckets: prometheus.DefBuckets}, []string{"operation"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "exportwatch_graphql_errors_total",
			Help: "GraphQL errors, by extensions.code."}, []string{"code"}),
		neo4j: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "exportwatch_neo4j_query_duration_seconds",
			Help: "Time of each Cypher statement.", Buckets: prometheus.DefBuckets}),
		neo4jErrs: prometheus.NewCounter(prometheus.CounterOpts{Name: "exportwatch_neo4j_errors_total",
			Help: "Cypher statements that failed."}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.errors, m.neo4j, m.neo4jErrs, feedCollector{store},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	store.Observe(func(d time.Duration, err error) {
		m.neo4j.Observe(d.Seconds())
		if err != nil {
			m.neo4jErrs.Inc()
		}
	})
	return m
}

// feedCollector reads, at each scrape, the changes feed's head, how many
// changes the watches' notifier has still to read, and the webhook
// deliveries waiting and given up: the background jobs' state, which a
// stuck job shows as a number that grows. A scrape while Neo4j does not
// answer reports none of them.
type feedCollector struct{ store *graph.Store }

var (
	feedHead      = prometheus.NewDesc("exportwatch_changes_head", "The changes feed's last change set number.", nil, nil)
	feedBehind    = prometheus.NewDesc("exportwatch_watch_notifier_behind", "Change sets the watches' notifier has not read yet.", nil, nil)
	feedDelivered = prometheus.NewDesc("exportwatch_webhook_deliveries", "Webhook deliveries not done, by state (pending, failed).", []string{"state"}, nil)
)

func (feedCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- feedHead
	ch <- feedBehind
	ch <- feedDelivered
}

func (c feedCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := c.store.Feed(ctx)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(feedHead, prometheus.GaugeValue, float64(st.Head))
	ch <- prometheus.MustNewConstMetric(feedBehind, prometheus.GaugeValue, float64(max(st.Head-st.Notified, 0)))
	ch <- prometheus.MustNewConstMetric(feedDelivered, prometheus.GaugeValue, float64(st.Pending), "pending")
	ch <- prometheus.MustNewConstMetric(feedDelivered, prometheus.GaugeValue, float64(st.Failed), "failed")
}

// observe is a gqlgen response middleware that counts each operation.
func (m *metrics) observe(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	resp := next(ctx)
	name := "unknown"
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		n := oc.OperationName
		if n == "" && oc.Operation != nil {
			n = oc.Operation.Name
		}
		name = m.names.label(n)
	}
	m.requests.WithLabelValues(name).Inc()
	m.latency.WithLabelValues(name).Observe(time.Since(start).Seconds())
	if resp != nil {
		for _, e := range resp.Errors {
			code, _ := e.Extensions["code"].(string)
			if code == "" {
				code = CodeInternal
			}
			m.errors.WithLabelValues(code).Inc()
		}
	}
	return resp
}

// operationNames keeps the operation label's values few: clients choose
// operation names, and an unbounded label would let them grow the metrics
// without limit.
type operationNames struct {
	mu   sync.Mutex
	seen map[string]bool
}

var plainName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,39}$`)

const maxOperationNames = 100

func (o *operationNames) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !plainName.MatchString(name) {
		return "other"
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.seen == nil {
		o.seen = map[string]bool{}
	}
	if !o.seen[name] && len(o.seen) >= maxOperationNames {
		return "other"
	}
	o.seen[name] = true
	return name
}

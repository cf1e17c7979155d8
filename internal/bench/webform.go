package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/consultation"
	"heard/internal/server"
	"heard/internal/webform"
)

// Clients is how many respondents submit at once.
const Clients = 16

type throughput struct {
	n             int
	elapsed       time.Duration
	p50, p99, max time.Duration
}

func (t throughput) rate() float64 { return float64(t.n) / t.elapsed.Seconds() }

// measure runs do(i) for i in [0, n) on Clients goroutines and times each.
func measure(n int, do func(i int) error) (throughput, error) {
	times := make([]time.Duration, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, Clients)
	start := time.Now()
	for range Clients {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				t0 := time.Now()
				if err := do(i); err != nil {
					errs <- err
					return
				}
				times[i] = time.Since(t0)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		return throughput{}, err
	}
	slices.Sort(times)
	return throughput{n: n, elapsed: elapsed, p50: times[n*50/100], p99: times[n*99/100], max: times[n-1]}, nil
}

// formValues is respondent i's whole response, as the form's fields.
func formValues(c *consultation.Consultation, i int) url.Values {
	v := url.Values{webform.FieldConsent: {[]string{"yes", "no"}[i%2]}, webform.FieldGroup: {c.Groups[i%len(c.Groups)].Slug}}
	if i%3 == 0 {
		v.Set(webform.FieldRespondentType, "organisation")
		v.Set(webform.FieldOrganisation, fmt.Sprintf("Bench organisation %d", i%97))
	} else {
		v.Set(webform.FieldRespondentType, "individual")
	}
	for k, q := range c.Questions {
		if q.Scale != nil {
			v.Set(webform.FieldName(q), q.Scale.Options[(i*7+k*3)%len(q.Scale.Options)].Slug)
		} else {
			v.Set(webform.FieldName(q), texts[(i+k)%len(texts)])
		}
	}
	return v
}

// prepareDrafts saves n complete drafts through the form's service and
// returns their tokens: what respondents have when they reach "Send".
func prepareDrafts(ctx context.Context, svc *webform.Service, f *webform.Form, n int) ([]string, error) {
	tokens := make([]string, n)
	_, err := measure(n, func(i int) error {
		s, err := svc.Save(ctx, f, "", formValues(f.C, i), false, f.Pages...)
		if err != nil {
			return err
		}
		if len(s.Errors) > 0 {
			return fmt.Errorf("bench: draft %d: %v", i, s.Errors)
		}
		tokens[i] = s.Token
		return nil
	})
	return tokens, err
}

// submitOverHTTP serves the real routes (production settings, one
// trusted proxy) on a loopback port; each client POSTs the final submit
// of a prepared draft, as from its own address, and expects the redirect
// to the confirmation.
func submitOverHTTP(slug string, pool *pgxpool.Pool, tokens []string, logger *slog.Logger) (throughput, error) {
	app := server.New(logger, pool, server.Options{TrustedProxies: 1})
	defer app.Close()
	return loadOverHTTP(app.Routes(), len(tokens), func(base string, i int) *http.Request {
		req, _ := http.NewRequest("POST", base+"/consultations/"+slug+"/respond/submit", nil)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", "__Host-heard_respond_"+slug+"="+tokens[i])
		return req
	}, "/consultations/"+slug+"/respond/confirmation")
}

// submitToCeiling loads ceilingHandler exactly as submitOverHTTP loads
// Heard: same server, client, concurrency and headers; each request
// carries respondent i's whole form in its body.
func submitToCeiling(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation, n int) (throughput, error) {
	bodies := make([]string, n)
	for i := range n {
		v := formValues(c, i)
		v.Set("ref", fmt.Sprintf("http-ceiling-%07d", i))
		bodies[i] = v.Encode()
	}
	return loadOverHTTP(ceilingHandler(ctx, pool, c), n, func(base string, i int) *http.Request {
		req, _ := http.NewRequest("POST", base+"/submit", strings.NewReader(bodies[i]))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", "__Host-heard_respond_ceiling=token")
		return req
	}, "/confirmation")
}

// ceilingHandler is the honest ceiling for a submit over HTTP: a minimal
// net/http handler that parses the same form and stores the same rows in
// one bare transaction, and nothing else (no router, middleware,
// sessions, drafts, rate limits or templates).
func ceilingHandler(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := insertRows(r.Context(), pool, c, r.PostForm, r.PostForm.Get("ref")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		http.Redirect(w, r, "/confirmation", http.StatusSeeOther)
	})
}

// loadOverHTTP serves h on a loopback port and has Clients clients send
// request(base, i) for i in [0, n), each as from its own address behind
// one proxy, expecting a 303 to location.
func loadOverHTTP(h http.Handler, n int, request func(base string, i int) *http.Request, location string) (throughput, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return throughput{}, fmt.Errorf("bench: listen: %w", err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln) //nolint:errcheck // closed below
	defer srv.Close()

	client := &http.Client{
		Timeout:       30 * time.Second,
		Transport:     &http.Transport{MaxIdleConnsPerHost: Clients},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	base := "http://" + ln.Addr().String()
	return measure(n, func(i int) error {
		req := request(base, i)
		// Respondents come from many addresses: the per-client rate
		// limit is on, but no one client sends more than once.
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255))
		res, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("bench: submit %d: %w", i, err)
		}
		io.Copy(io.Discard, res.Body) //nolint:errcheck
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != location {
			return fmt.Errorf("bench: submit %d: %d %s", i, res.StatusCode, res.Header.Get("Location"))
		}
		return nil
	})
}

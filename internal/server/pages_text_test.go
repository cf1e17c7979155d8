package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"
	"golang.org/x/net/html"

	"heard/internal/accounts"
)

// goLeak matches a line of visible text that is Go, not English: what a
// templ file prints when a Go statement is written where templ expects
// markup (templ turns a bare `return` into the text "return").
var goLeak = regexp.MustCompile(`^(return|break|continue|else|fallthrough|default:|nil|\}|\{|\} else \{|(if|for|switch|case|func|var) .*[{:]|.*\S := .*|.*\berr != nil\b.*)$`)

// leaks returns the lines of visible text in page that look like Go.
func leaks(page string) ([]string, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return nil, err
	}
	doc.Find("script, style, code, pre, textarea").Remove()
	// Each text node on its own: "</p>return<h2>" is a node "return".
	var found []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			for _, line := range strings.Split(n.Data, "\n") {
				if l := strings.TrimSpace(line); l != "" && goLeak.MatchString(l) {
					found = append(found, l)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range doc.Find("body").Nodes {
		walk(n)
	}
	return found, nil
}

func TestLeaksFindsGoPrintedAsText(t *testing.T) {
	for page, want := range map[string]bool{
		`<body><p>Sign in to read them.</p>return<h2>Answers</h2></body>`: true,
		`<body><p>x</p>
		if v.Show {
		</body>`: true,
		`<body><p>Save and return later. Return to the list.</p><a>Continue</a></body>`: false,
		`<body><code>a := b</code><script>if (a) {</script></body>`:                     false,
	} {
		got, err := leaks(page)
		if err != nil {
			t.Fatal(err)
		}
		if (len(got) > 0) != want {
			t.Errorf("leaks(%q) = %q", page, got)
		}
	}
}

// Every page of the demo, as every role and as the public (before and
// after publishing), shows no Go in its text: a crawl from the home page
// through every link and every GET route. Open-question pages printed a
// stray "return" for viewers and the public before this test existed.
func TestNoPageShowsGoCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	roles := []struct {
		name string
		c    *client
	}{
		{"public", e.anonymous()},
		{"viewer", e.user("viewer@example.org", accounts.Viewer)},
		{"analyst", e.user("analyst@example.org", accounts.Analyst)},
		{"admin", admin},
	}
	seeds := []string{"/"}
	for _, p := range getRoutes(t, e) {
		seeds = append(seeds, concrete(p, 1))
	}
	crawl := func(name string, c *client) int {
		seen := map[string]bool{}
		queue := append([]string(nil), seeds...)
		pages := 0
		for len(queue) > 0 && pages < 400 {
			p := queue[0]
			queue = queue[1:]
			u, err := url.Parse(p)
			if err != nil || seen[pageKey(u)] || skipCrawl(u.Path) {
				continue
			}
			seen[pageKey(u)] = true
			res, body := c.get(u.RequestURI())
			if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			pages++
			found, err := leaks(body)
			if err != nil {
				t.Fatalf("%s: parse %s: %v", name, p, err)
			}
			for _, l := range found {
				t.Errorf("%s: %s (%d) shows Go as text: %q", name, p, res.StatusCode, l)
			}
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
				href, _ := a.Attr("href")
				if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") {
					queue = append(queue, href)
				}
			})
		}
		return pages
	}
	for _, r := range roles {
		n := crawl(r.name, r.c)
		t.Logf("%s: %d pages read", r.name, n)
		if n < 5 {
			t.Errorf("%s: crawled only %d pages", r.name, n)
		}
	}
	// Publishing takes the admin's confirmation that they have checked
	// what becomes public (the review page's tick box).
	res, _ := admin.post("/admin/consultations/cqc-2021/publish", url.Values{"published": {"true"}, "confirm": {"yes"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("publish = %d", res.StatusCode)
	}
	if n := crawl("public, published", e.anonymous()); n < 10 {
		t.Errorf("public after publishing: crawled only %d pages", n)
	}
}

// pageKey is a page's path, with numbers standing for any number, and
// the names of its query parameters, so that the crawl reads each kind of
// page a few times, not every letter, event or filter value.
func pageKey(u *url.URL) string {
	var names []string
	for k := range u.Query() {
		names = append(names, k)
	}
	sort.Strings(names)
	return number.ReplaceAllString(u.Path, "/{n}") + "?" + strings.Join(names, "&")
}

var number = regexp.MustCompile(`/[0-9]+`)

func skipCrawl(path string) bool {
	for _, p := range []string{"/static/", "/assets/", "/healthz", "/sign-out"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return strings.HasSuffix(path, ".csv") || strings.HasSuffix(path, ".xlsx") || strings.HasSuffix(path, ".json")
}

// getRoutes lists the patterns of every GET route.
func getRoutes(t *testing.T, e *env) []string {
	t.Helper()
	routes, ok := e.app.Routes().(chi.Routes)
	if !ok {
		t.Fatal("Routes is not a chi router")
	}
	var out []string
	err := chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == "GET" {
			out = append(out, pattern)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

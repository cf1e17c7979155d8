package server

import (
	"io"
	"net/http"
	"time"
)

// maxUploadTime bounds how long one upload may take to arrive, however
// steadily it comes.
const maxUploadTime = 30 * time.Minute

// keepReading lets a large request body take as long as it keeps
// arriving. The server's ReadTimeout (60 s) and WriteTimeout (120 s)
// run from the start of the request, so without this a 100 MB file is
// cut off below about 14 Mbit/s, a common office or home upload speed.
// Each read that brings data pushes the read deadline ReadTimeout
// further on (a body that stops for that long still gets 408) and the
// write deadline WriteTimeout beyond that, up to maxUploadTime. It is
// only on upload routes, after the access check, so an anonymous client
// cannot hold a connection this way.
func keepReading(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok && srv.ReadTimeout > 0 {
			r.Body = &arrivingBody{
				ReadCloser: r.Body, rc: http.NewResponseController(w),
				stall: srv.ReadTimeout, write: srv.WriteTimeout,
				until: time.Now().Add(maxUploadTime),
			}
		}
		next.ServeHTTP(w, r)
	})
}

// arrivingBody is a request body whose deadlines move on as it arrives.
type arrivingBody struct {
	io.ReadCloser
	rc           *http.ResponseController
	stall, write time.Duration
	until        time.Time
}

func (b *arrivingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 || err == io.EOF {
		d := time.Now().Add(b.stall)
		if d.After(b.until) || err == io.EOF {
			// Once the body is in, the server watches the connection
			// for the client going away, with the read deadline: a
			// deadline passing then would cancel the handler's work
			// (storing the upload), so it moves to the end.
			d = b.until
		}
		// A writer that cannot move its deadlines keeps the server's:
		// the upload is then as limited as before, no worse.
		_ = b.rc.SetReadDeadline(d)
		if b.write > 0 {
			_ = b.rc.SetWriteDeadline(d.Add(b.write))
		}
	}
	return n, err
}

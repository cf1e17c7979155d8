package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// statementTimes adds up the time spent in each statement (by its sqlc
// name, or the table a COPY fills) so the load figures can say where the
// time goes: the server's share per statement, the rest is Go.
//
// The machine the bench runs on is shared, so wall time alone says little:
// each statement's server CPU time (the backend's utime+stime, read from
// /proc, as PostgreSQL runs on the same machine) is added up beside it.
type statementTimes struct {
	off   atomic.Bool // after the loads: page latencies are timed without it
	mu    sync.Mutex
	total map[string]time.Duration
	cpu   map[string]time.Duration
	count map[string]int
}

type traceKey struct{}

type traceStart struct {
	name  string
	start time.Time
	pid   uint32
	cpu   time.Duration
}

func newStatementTimes() *statementTimes {
	return &statementTimes{total: map[string]time.Duration{}, cpu: map[string]time.Duration{}, count: map[string]int{}}
}

// backendCPU is the CPU time process pid has used, or 0 where /proc
// cannot say (a server on another machine).
func backendCPU(pid uint32) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	s, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * (time.Second / clockTicks)
}

// clockTicks is USER_HZ, 100 on every Linux PostgreSQL runs on.
const clockTicks = 100

func (s *statementTimes) start(ctx context.Context, conn *pgx.Conn, name string) context.Context {
	if s.off.Load() {
		return ctx
	}
	pid := conn.PgConn().PID()
	return context.WithValue(ctx, traceKey{}, traceStart{name, time.Now(), pid, backendCPU(pid)})
}

func (s *statementTimes) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.total)
	clear(s.cpu)
	clear(s.count)
}

func (s *statementTimes) add(ctx context.Context) {
	st, ok := ctx.Value(traceKey{}).(traceStart)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total[st.name] += time.Since(st.start)
	s.cpu[st.name] += backendCPU(st.pid) - st.cpu
	s.count[st.name]++
}

// statementName is the sqlc name of sql ("-- name: CopyAnswers :many"),
// else its first 40 characters.
func statementName(sql string) string {
	if rest, ok := strings.CutPrefix(sql, "-- name: "); ok {
		if i := strings.IndexByte(rest, ' '); i > 0 {
			return rest[:i]
		}
	}
	sql = strings.Join(strings.Fields(sql), " ")
	if len(sql) > 40 {
		sql = sql[:40]
	}
	return sql
}

func (s *statementTimes) TraceQueryStart(ctx context.Context, conn *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return s.start(ctx, conn, statementName(d.SQL))
}

func (s *statementTimes) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryEndData) {
	s.add(ctx)
}

func (s *statementTimes) TraceCopyFromStart(ctx context.Context, conn *pgx.Conn, d pgx.TraceCopyFromStartData) context.Context {
	return s.start(ctx, conn, "COPY "+d.TableName.Sanitize())
}

func (s *statementTimes) TraceCopyFromEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceCopyFromEndData) {
	s.add(ctx)
}

// print writes the statements that took at least 1% of total, largest
// first, and what is left (Go: building rows, validating, detecting).
func (s *statementTimes) print(out io.Writer, total time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.total))
	var sum, cpu time.Duration
	for n, d := range s.total {
		names = append(names, n)
		sum += d
		cpu += s.cpu[n]
	}
	sort.Slice(names, func(i, j int) bool { return s.total[names[i]] > s.total[names[j]] })
	for _, n := range names {
		d := s.total[n]
		if d < total/100 {
			continue
		}
		fmt.Fprintf(out, "      %-40s %7.1f s  %5.1f%%  server CPU %7.1f s  (%d calls)\n", n, d.Seconds(), 100*d.Seconds()/total.Seconds(), s.cpu[n].Seconds(), s.count[n])
	}
	rest := total - sum
	fmt.Fprintf(out, "      %-40s %7.1f s  %5.1f%%\n", "outside statements (Go)", rest.Seconds(), 100*rest.Seconds()/total.Seconds())
	fmt.Fprintf(out, "      %-40s %7.1f s\n", "server CPU in all statements", cpu.Seconds())
}

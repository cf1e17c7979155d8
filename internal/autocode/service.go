package autocode

import (
	"bytes"
	"cmp"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/audit"
	"heard/internal/coding"
	"heard/internal/db"
	"heard/internal/results"
)

// Audit actions.
const (
	AuditSuggestionRejected = "coding_suggestion_rejected"
	AuditRuleSet            = "code_rule_set"
	AuditModelTrained       = "autocode_model_trained"
	AuditRetrainRequested   = "autocode_retrain_requested"
)

// RetrainAfter is how many newly finished answers make a question's
// model due for retraining.
const RetrainAfter = 20

// Service trains models, stores suggestions and records analysts'
// decisions on them.
type Service struct {
	Pool   *pgxpool.Pool
	Coding *coding.Service
	Tok    *Tokenizer
}

// NewService returns a service with its own stem cache.
func NewService(pool *pgxpool.Pool) *Service {
	return &Service{Pool: pool, Coding: &coding.Service{Pool: pool}, Tok: NewTokenizer()}
}

// Thresholds offered for bulk acceptance; the precision expected at each
// is measured by cross-validation when the model is trained. They start
// below 0.5 because a code's own threshold (chosen by cross-validation)
// may be as low as 0.05, and what it suggests there should be acceptable
// in bulk too, with its precision shown.
var Thresholds = []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95}

// PrecisionAt is the measured precision at threshold t among at, matched
// by value (models stored before a threshold was offered lack it).
func PrecisionAt(at []AtThreshold, t float64) (AtThreshold, bool) {
	for _, a := range at {
		if math.Abs(a.Threshold-t) < 1e-9 {
			return a, true
		}
	}
	return AtThreshold{}, false
}

// AtThreshold is the precision the held-out predictions had at or above
// a threshold, and how many predictions that was.
type AtThreshold struct {
	Threshold, Precision float64
	N                    int
}

// Measured is a model's quality as stored with it.
type Measured struct {
	Coded   int
	Enough  bool
	Overall Quality
	PerCode []Quality
	Curve   []CurvePoint
	// Precision per code (by id, as a string for JSON) at Thresholds.
	Precision map[string][]AtThreshold
	// Modelled are the codes the model has (enough positive examples).
	Modelled []int32
	Version  string
}

// ErrNotFound: no such suggestion, or no model yet.
var ErrNotFound = errors.New("autocode: not found")

// Trained is the outcome of a training run.
type Trained struct {
	Version             string
	Examples, Suggested int
}

// Due reports whether a question's model should be retrained: no model
// yet and at least MinCoded finished answers, or RetrainAfter more
// finished answers than the last model learnt from.
func (s *Service) Due(ctx context.Context, questionID int32) (bool, error) {
	q := db.New(s.Pool)
	n, err := q.AutocodeCodedCount(ctx, questionID)
	if err != nil {
		return false, fmt.Errorf("autocode: coded count of question %d: %w", questionID, err)
	}
	m, err := q.LatestAutocodeModel(ctx, questionID)
	if errors.Is(err, pgx.ErrNoRows) {
		return n >= MinCoded, nil
	}
	if err != nil {
		return false, fmt.Errorf("autocode: latest model of question %d: %w", questionID, err)
	}
	var meas Measured
	if err := json.Unmarshal(m.Quality, &meas); err != nil {
		return false, fmt.Errorf("autocode: model %s quality: %w", m.Version, err)
	}
	return n-int64(meas.Coded) >= RetrainAfter, nil
}

// Train learns a question's model from its analysts' codings (and
// rejected suggestions), measures it by cross-validation, stores it, and
// replaces the question's open suggestions with the new model's and its
// rules'.
func (s *Service) Train(ctx context.Context, consultationID int64, questionID int32) (Trained, error) {
	var out Trained
	q := db.New(s.Pool)
	cf, err := s.Coding.Codeframe(ctx, consultationID, coding.Frame{QuestionID: questionID})
	if err != nil {
		return out, err
	}
	var codes []int32
	for _, c := range cf.Codes {
		if !c.Retired {
			codes = append(codes, c.ID)
		}
	}
	examples, err := s.Examples(ctx, questionID)
	if err != nil {
		return out, err
	}
	coded := 0
	for _, ex := range examples {
		if ex.Coded {
			coded++
		}
	}
	if coded < MinCoded {
		return out, &NotEnoughError{Coded: coded}
	}
	hints, err := s.hints(ctx, cf, questionID)
	if err != nil {
		return out, err
	}
	learnt := len(examples) // analysts' decisions, hints aside
	examples = append(examples, Hints(hints, codes)...)
	opt, err := s.TrainOptions(ctx, questionID)
	if err != nil {
		return out, err
	}
	// The model, its cross-validation and its learning curve tokenise
	// each text once between them.
	opt = withCorpus(s.Tok, opt)
	m, err := Train(s.Tok, examples, codes, opt)
	if err != nil {
		return out, err
	}
	meas := Measured{Coded: coded, Enough: true, Precision: map[string][]AtThreshold{}, Modelled: m.Codes}
	preds := CrossValidate(s.Tok, examples, codes, Folds, opt, 1)
	meas.Overall, meas.PerCode = Measure(preds, codes, 1000, 1)
	meas.Curve = LearningCurve(s.Tok, examples, codes, opt, 1)
	for _, c := range codes {
		var at []AtThreshold
		for _, t := range Thresholds {
			p, n := PrecisionAbove(preds, c, t)
			at = append(at, AtThreshold{Threshold: t, Precision: p, N: n})
		}
		meas.Precision[fmt.Sprint(c)] = at
	}
	count, err := q.AutocodeModelCount(ctx, questionID)
	if err != nil {
		return out, fmt.Errorf("autocode: models of question %d: %w", questionID, err)
	}
	m.Version = fmt.Sprintf("q%d-v%d", questionID, count+1)
	meas.Version = m.Version
	var blob bytes.Buffer
	if err := gob.NewEncoder(&blob).Encode(m); err != nil {
		return out, fmt.Errorf("autocode: encode model: %w", err)
	}
	quality, err := json.Marshal(meas)
	if err != nil {
		return out, fmt.Errorf("autocode: encode quality: %w", err)
	}
	if err := q.InsertAutocodeModel(ctx, db.InsertAutocodeModelParams{QuestionID: questionID, Version: m.Version,
		Examples: int32(learnt), Model: blob.Bytes(), Quality: quality}); err != nil {
		return out, fmt.Errorf("autocode: store model %s: %w", m.Version, err)
	}
	out.Version, out.Examples = m.Version, learnt
	e := audit.Entry{Action: AuditModelTrained, Actor: "background job", ConsultationID: &consultationID,
		RecordType: "question", RecordID: fmt.Sprint(questionID),
		Detail: map[string]any{"version": m.Version, "examples": learnt, "coded": coded, "f1": meas.Overall.F1.Value}}
	if err := audit.Record(ctx, q, e); err != nil {
		return out, err
	}
	if out.Suggested, err = s.Score(ctx, questionID, m); err != nil {
		return out, err
	}
	n, err := s.ApplyRules(ctx, questionID)
	out.Suggested += n
	return out, err
}

// TrainOptions are the options the product trains a question's model
// with: the defaults, and, when they include self-training, up to
// SelfTrainPool of its uncoded answers.
func (s *Service) TrainOptions(ctx context.Context, questionID int32) (Options, error) {
	var opt Options
	if DefaultFeatures&FeatureSelfTrain == 0 {
		return opt, nil
	}
	var err error
	opt.Unlabelled, err = s.Uncoded(ctx, questionID, SelfTrainPool)
	return opt, err
}

// Uncoded returns the texts of at most limit answers to the question
// nobody has finished coding (the first by response), for
// self-training: only their words are used, never as codes.
func (s *Service) Uncoded(ctx context.Context, questionID int32, limit int) ([]string, error) {
	page, err := db.New(s.Pool).AutocodeUncoded(ctx, db.AutocodeUncodedParams{QuestionID: questionID, After: 0, Lim: int32(limit)})
	if err != nil {
		return nil, fmt.Errorf("autocode: uncoded answers of question %d: %w", questionID, err)
	}
	out := make([]string, len(page))
	for i, a := range page {
		out[i] = a.Text
	}
	return out, nil
}

// hints are what the codeframe says about each code (its name,
// description and rule query's words), learnt from as one more example
// of the code: they help most when few answers are coded, and with
// phrasings analysts have not coded yet.
func (s *Service) hints(ctx context.Context, cf *coding.Codeframe, questionID int32) (map[int32]string, error) {
	rules, err := db.New(s.Pool).QuestionRules(ctx, &questionID)
	if err != nil {
		return nil, fmt.Errorf("autocode: rules of question %d: %w", questionID, err)
	}
	out := map[int32]string{}
	for _, c := range cf.Codes {
		if !c.Retired {
			out[c.ID] = strings.TrimSpace(c.Name + ". " + c.Description)
		}
	}
	for _, r := range rules {
		if _, ok := out[r.CodeID]; ok {
			out[r.CodeID] += " " + strings.Join(ruleWords(r.Query), " ")
		}
	}
	return out, nil
}

// NotEnoughError: too few finished answers to train on.
type NotEnoughError struct{ Coded int }

func (e *NotEnoughError) Error() string {
	return fmt.Sprintf("autocode: %d coded answers, at least %d needed", e.Coded, MinCoded)
}

// scoreBatch is how many answers are read, scored and written at a time.
const scoreBatch = 5000

// Score replaces the question's open model suggestions with m's on every
// answer nobody has finished coding. It returns how many it suggested.
func (s *Service) Score(ctx context.Context, questionID int32, m *Model) (int, error) {
	q := db.New(s.Pool)
	if err := q.DeletePendingSuggestions(ctx, db.DeletePendingSuggestionsParams{QuestionID: questionID, Origin: "model"}); err != nil {
		return 0, fmt.Errorf("autocode: clear suggestions of question %d: %w", questionID, err)
	}
	// Three stages overlap: reading the next page of answers, scoring
	// this one on every core, and writing the last one's suggestions.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan []db.AutocodeUncodedRow, 2)
	writes := make(chan db.InsertSuggestionsParams, 2)
	var readErr, writeErr error
	go func() {
		defer close(pages)
		var after int64
		for {
			page, err := s.uncodedPage(ctx, questionID, after)
			if err != nil {
				readErr = fmt.Errorf("autocode: answers of question %d after %d: %w", questionID, after, err)
				return
			}
			if len(page) == 0 {
				return
			}
			select {
			case pages <- page:
			case <-ctx.Done():
				return
			}
			after = page[len(page)-1].ResponseID
		}
	}()
	// Two writers: most of the job's time is PostgreSQL checking and
	// indexing the rows, which a second backend can share.
	written := make(chan int)
	var mu sync.Mutex
	for range 2 {
		go func() {
			total := 0
			for p := range writes {
				if err := q.InsertSuggestions(ctx, p); err != nil {
					mu.Lock()
					writeErr = cmp.Or(writeErr, fmt.Errorf("autocode: store suggestions of question %d: %w", questionID, err))
					mu.Unlock()
					cancel()
					continue // drain
				}
				total += len(p.ResponseIds)
			}
			written <- total
		}()
	}
	// The scorers live for the whole job: each keeps the words and pairs
	// it has met, so later pages cost fewer look-ups.
	scorers := newScorers(m, s.Tok)
	for page := range pages {
		texts := make([]string, len(page))
		for i, a := range page {
			texts[i] = a.Text
		}
		p := db.InsertSuggestionsParams{QuestionID: questionID, Origin: "model", Version: m.Version}
		for _, sg := range suggest(scorers, texts) {
			p.ResponseIds = append(p.ResponseIds, page[sg.answer].ResponseID)
			p.CodeIds = append(p.CodeIds, m.Codes[sg.code])
			p.Confidences = append(p.Confidences, float32(sg.p))
			p.Words = append(p.Words, sg.words)
		}
		if len(p.ResponseIds) > 0 {
			writes <- p
		}
	}
	close(writes)
	total := <-written + <-written
	return total, cmp.Or(readErr, writeErr)
}

// uncodedPage reads the next page of a question's uncoded answers in
// answer order. The planner, expecting most of a million answers to
// qualify, chose a parallel hash anti-join over every answer and
// unit_states for each page (2.3 s a page at 1M); walking the index and
// probing unit_states stops at the page's end (20 ms), so hash and merge
// joins are off for this read, as for the analysts' lists.
func (s *Service) uncodedPage(ctx context.Context, questionID int32, after int64) ([]db.AutocodeUncodedRow, error) {
	var page []db.AutocodeUncodedRow
	err := db.WithTx(ctx, s.Pool, func(tx pgx.Tx, q *db.Queries) error {
		if err := db.WalkIndexes(ctx, tx); err != nil {
			return err
		}
		var err error
		page, err = q.AutocodeUncoded(ctx, db.AutocodeUncodedParams{QuestionID: questionID, After: after, Lim: scoreBatch})
		return err
	})
	return page, err
}

type suggestion struct {
	answer, code int
	p            float64
	words        string // unit-separated
}

// newScorers returns a scorer for each core.
func newScorers(m *Model, tok *Tokenizer) []*Scorer {
	out := make([]*Scorer, runtime.GOMAXPROCS(0))
	for i := range out {
		out[i] = NewScorer(m, tok)
	}
	return out
}

// suggest scores texts with every scorer at once (one per core) and
// returns the suggestions at or above each code's threshold, in the
// order of texts.
func suggest(scorers []*Scorer, texts []string) []suggestion {
	workers := len(scorers)
	parts := make([][]suggestion, workers)
	var wg sync.WaitGroup
	for w, sc := range scorers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := w*len(texts)/workers, (w+1)*len(texts)/workers
			for i := lo; i < hi; i++ {
				for ci, prob := range sc.Scores(texts[i]) {
					if !sc.Suggests(ci, prob) {
						continue
					}
					var words []string
					for _, d := range sc.Drivers(ci, 3) {
						words = append(words, d.Words)
					}
					parts[w] = append(parts[w], suggestion{answer: i, code: ci, p: prob, words: strings.Join(words, "\x1f")})
				}
			}
		}()
	}
	wg.Wait()
	return slices.Concat(parts...)
}

// LatestModel loads a question's newest model and its quality.
func (s *Service) LatestModel(ctx context.Context, questionID int32) (*Model, *Measured, error) {
	row, err := db.New(s.Pool).LatestAutocodeModel(ctx, questionID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("autocode: latest model of question %d: %w", questionID, err)
	}
	var m Model
	if err := gob.NewDecoder(bytes.NewReader(row.Model)).Decode(&m); err != nil {
		return nil, nil, fmt.Errorf("autocode: decode model %s: %w", row.Version, err)
	}
	var meas Measured
	if err := json.Unmarshal(row.Quality, &meas); err != nil {
		return nil, nil, fmt.Errorf("autocode: decode quality of %s: %w", row.Version, err)
	}
	return &m, &meas, nil
}

// RetrainRequested records that an analyst asked for a question's model
// to be retrained now.
func (s *Service) RetrainRequested(ctx context.Context, by accounts.Actor, consultationID int64, questionID int32) error {
	e := by.Entry(AuditRetrainRequested)
	e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "question", fmt.Sprint(questionID)
	return audit.Record(ctx, db.New(s.Pool), e)
}

// LatestQuality is the measured quality of a question's newest model,
// without loading the model itself (pages show it on every view).
func (s *Service) LatestQuality(ctx context.Context, questionID int32) (*Measured, error) {
	row, err := db.New(s.Pool).LatestAutocodeQuality(ctx, questionID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("autocode: latest quality of question %d: %w", questionID, err)
	}
	var meas Measured
	if err := json.Unmarshal(row.Quality, &meas); err != nil {
		return nil, fmt.Errorf("autocode: decode quality of %s: %w", row.Version, err)
	}
	meas.Version = row.Version
	return &meas, nil
}

// Reject records that an analyst turned a suggestion down; the answer
// becomes a negative example for that code.
func (s *Service) Reject(ctx context.Context, by accounts.Actor, consultationID int64, questionID int32, responseID int64, codeID int32) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		g, err := q.GetSuggestion(ctx, db.GetSuggestionParams{QuestionID: questionID, ResponseID: responseID, CodeID: codeID})
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && g.Status != "pending") {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("autocode: suggestion: %w", err)
		}
		if err := q.DecideSuggestions(ctx, db.DecideSuggestionsParams{Status: "rejected", DecidedBy: userID(by),
			QuestionID: questionID, CodeID: codeID, ResponseIds: []int64{responseID}}); err != nil {
			return fmt.Errorf("autocode: reject: %w", err)
		}
		e := by.Entry(AuditSuggestionRejected)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "response", fmt.Sprint(responseID)
		e.Detail = map[string]any{"question_id": questionID, "code_id": codeID, "origin": g.Origin, "version": g.Version, "confidence": g.Confidence}
		return audit.Record(ctx, q, e)
	})
}

// Accept codes one answer as a suggestion proposed.
func (s *Service) Accept(ctx context.Context, by accounts.Actor, consultationID int64, questionID int32, responseID int64, codeID int32) error {
	g, err := db.New(s.Pool).GetSuggestion(ctx, db.GetSuggestionParams{QuestionID: questionID, ResponseID: responseID, CodeID: codeID})
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && g.Status != "pending") {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("autocode: suggestion: %w", err)
	}
	_, err = s.accept(ctx, by, consultationID, questionID, codeID, []coding.Suggested{{ResponseID: responseID, Origin: g.Origin, Version: g.Version, Confidence: g.Confidence}})
	return err
}

// MaxBulk is the most suggestions one bulk accept codes (the most
// confident first): each is an analyst coding with its own events, and
// one request must finish in reasonable time. Repeat for more.
const MaxBulk = 10_000

// band is the 5% confidence band a threshold starts: suggestions are
// counted and bulk-accepted by band, so the preview's count and the
// accepted set agree exactly.
func band(threshold float64) int32 { return int32(math.Round(threshold * 20)) }

// AcceptAbove codes every answer with an open suggestion of the code at
// or above threshold (at most MaxBulk at a time). It returns how many
// answers gained the code.
func (s *Service) AcceptAbove(ctx context.Context, by accounts.Actor, consultationID int64, questionID, codeID int32, threshold float64) (int, error) {
	rows, err := db.New(s.Pool).SuggestionsAbove(ctx, db.SuggestionsAboveParams{QuestionID: questionID, CodeID: codeID, Band: band(threshold), Lim: MaxBulk})
	if err != nil {
		return 0, fmt.Errorf("autocode: suggestions above %.2f: %w", threshold, err)
	}
	items := make([]coding.Suggested, len(rows))
	for i, r := range rows {
		items[i] = coding.Suggested{ResponseID: r.ResponseID, Origin: r.Origin, Version: r.Version, Confidence: r.Confidence}
	}
	return s.accept(ctx, by, consultationID, questionID, codeID, items)
}

func (s *Service) accept(ctx context.Context, by accounts.Actor, consultationID int64, questionID, codeID int32, items []coding.Suggested) (int, error) {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ResponseID
	}
	return s.Coding.ApplySuggested(ctx, by, consultationID, questionID, codeID, items, func(q *db.Queries, _ []int64) error {
		err := q.DecideSuggestions(ctx, db.DecideSuggestionsParams{Status: "accepted", DecidedBy: userID(by),
			QuestionID: questionID, CodeID: codeID, ResponseIds: ids})
		if err != nil {
			return fmt.Errorf("autocode: mark accepted: %w", err)
		}
		return nil
	})
}

// CountAbove is how many open suggestions of a code are at or above
// threshold.
func (s *Service) CountAbove(ctx context.Context, questionID, codeID int32, threshold float64) (int, error) {
	n, err := db.New(s.Pool).SuggestionCountAbove(ctx, db.SuggestionCountAboveParams{QuestionID: questionID, CodeID: codeID, Band: int16(band(threshold))})
	if err != nil {
		return 0, fmt.Errorf("autocode: count suggestions above %.2f: %w", threshold, err)
	}
	return int(n), nil
}

func userID(by accounts.Actor) *int64 {
	if by.User == nil {
		return nil
	}
	return &by.User.ID
}

// ruleWords are the query's own words (no operators, no excluded words),
// to say which of them an answer matched.
func ruleWords(query string) []string {
	var out []string
	for _, f := range strings.Fields(strings.ToLower(query)) {
		if strings.HasPrefix(f, "-") || f == "or" {
			continue
		}
		out = append(out, strings.Trim(f, `"()`))
	}
	return out
}

// ApplyRules replaces the question's open rule suggestions: every
// unfinished answer a code's rule matches, naming the words that matched.
func (s *Service) ApplyRules(ctx context.Context, questionID int32) (int, error) {
	q := db.New(s.Pool)
	if err := q.DeletePendingSuggestions(ctx, db.DeletePendingSuggestionsParams{QuestionID: questionID, Origin: "rule"}); err != nil {
		return 0, fmt.Errorf("autocode: clear rule suggestions of question %d: %w", questionID, err)
	}
	rules, err := q.QuestionRules(ctx, &questionID)
	if err != nil {
		return 0, fmt.Errorf("autocode: rules of question %d: %w", questionID, err)
	}
	total := 0
	for _, r := range rules {
		words, variants := results.SearchWords(r.Query)
		matches, err := q.RuleMatches(ctx, db.RuleMatchesParams{QuestionID: questionID, Search: r.Query, Words: words, Variants: variants})
		if err != nil {
			return total, fmt.Errorf("autocode: rule %q: %w", r.Query, err)
		}
		var stems []string
		for _, w := range ruleWords(r.Query) {
			for _, t := range s.Tok.Words(w, nil) {
				stems = append(stems, t.Stem)
			}
		}
		p := db.InsertSuggestionsParams{QuestionID: questionID, Origin: "rule", Version: "rule: " + r.Query}
		for _, m := range matches {
			var hit []string
			for _, t := range s.Tok.Words(m.Text, nil) {
				if slices.Contains(stems, t.Stem) && !slices.Contains(hit, t.Word) {
					hit = append(hit, t.Word)
				}
			}
			p.ResponseIds = append(p.ResponseIds, m.ResponseID)
			p.CodeIds = append(p.CodeIds, r.CodeID)
			p.Confidences = append(p.Confidences, 1)
			p.Words = append(p.Words, strings.Join(hit, "\x1f"))
		}
		if len(p.ResponseIds) > 0 {
			if err := q.InsertSuggestions(ctx, p); err != nil {
				return total, fmt.Errorf("autocode: store rule suggestions: %w", err)
			}
		}
		total += len(p.ResponseIds)
	}
	return total, nil
}

// SetRule sets (or, with an empty query, removes) the rule of a code.
func (s *Service) SetRule(ctx context.Context, by accounts.Actor, consultationID int64, codeID int32, query string) error {
	query = strings.TrimSpace(query)
	if len(query) > 500 {
		return &coding.ValidationError{Field: "rule", Message: "The rule must be 500 characters or fewer"}
	}
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		var err error
		if query == "" {
			err = q.DeleteCodeRule(ctx, codeID)
		} else {
			err = q.UpsertCodeRule(ctx, db.UpsertCodeRuleParams{CodeID: codeID, Query: query, UpdatedBy: userID(by)})
		}
		if err != nil {
			return fmt.Errorf("autocode: rule of code %d: %w", codeID, err)
		}
		e := by.Entry(AuditRuleSet)
		e.ConsultationID, e.RecordType, e.RecordID = &consultationID, "code", fmt.Sprint(codeID)
		e.Detail = map[string]any{"query": query}
		return audit.Record(ctx, q, e)
	})
}

// TrainDue trains every question whose model is due (see Due), one at a
// time; it returns how many it trained. The background job calls it.
func (s *Service) TrainDue(ctx context.Context) (int, error) {
	qs, err := db.New(s.Pool).AutocodeQuestions(ctx)
	if err != nil {
		return 0, fmt.Errorf("autocode: questions: %w", err)
	}
	n := 0
	for _, q := range qs {
		due, err := s.Due(ctx, q.QuestionID)
		if err != nil {
			return n, err
		}
		if !due {
			continue
		}
		if _, err := s.Train(ctx, q.ConsultationID, q.QuestionID); err != nil {
			return n, fmt.Errorf("autocode: train question %d: %w", q.QuestionID, err)
		}
		n++
	}
	return n, nil
}

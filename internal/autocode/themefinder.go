package autocode

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
)

// ThemefinderSet is one labelled question of i.AI's themefinder
// evaluation data (../shared/eval/themefinder, MIT licence).
type ThemefinderSet struct {
	Name    string
	Codes   []string
	Answers []Labelled
	// Hints are each topic's name and description (its first, for the
	// sentiment set, whose topics have many wordings).
	Hints map[string]string
}

// A topic the answer makes: a letter whose value is a dict, not None.
var topicRE = regexp.MustCompile(`'([A-Z])': \{`)

// LoadThemefinder reads the sentiment set (about 1,000 answers, topics
// A–L) and both questions of gambling_XS from dir. It returns
// os.ErrNotExist (wrapped) when dir is absent.
func LoadThemefinder(dir string) ([]ThemefinderSet, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("autocode: themefinder: %w", err)
	}
	var out []ThemefinderSet
	path := filepath.Join(dir, "evals/data/generation/eval_sentiments.csv")
	s, err := loadSentiments(path)
	if err != nil {
		return nil, err
	}
	out = append(out, s)
	for _, part := range []string{"question_part_1", "question_part_2"} {
		g, err := loadGambling(filepath.Join(dir, "evals/data/gambling_XS"), part)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

func loadSentiments(path string) (ThemefinderSet, error) {
	set := ThemefinderSet{Name: "themefinder eval_sentiments"}
	f, err := os.Open(path)
	if err != nil {
		return set, fmt.Errorf("autocode: themefinder: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return set, fmt.Errorf("autocode: %s: header: %w", path, err)
	}
	text, topics := slices.Index(head, "response"), slices.Index(head, "target_topics")
	if text < 0 || topics < 0 {
		return set, fmt.Errorf("autocode: %s: needs columns response and target_topics, has %q", path, head)
	}
	seen := map[string]bool{}
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return set, fmt.Errorf("autocode: %s: row %d: %w", path, line, err)
		}
		a := Labelled{Text: rec[text]}
		for _, m := range topicRE.FindAllStringSubmatch(rec[topics], -1) {
			if !slices.Contains(a.Codes, m[1]) {
				a.Codes = append(a.Codes, m[1])
				seen[m[1]] = true
			}
		}
		set.Answers = append(set.Answers, a)
	}
	for c := range seen {
		set.Codes = append(set.Codes, c)
	}
	slices.Sort(set.Codes)
	themes := filepath.Join(filepath.Dir(path), "framework_themes.json")
	raw, err := os.ReadFile(themes)
	if err != nil {
		return set, fmt.Errorf("autocode: themefinder: %w", err)
	}
	var fw map[string]map[string]struct {
		Topics []struct {
			Name      string `json:"topic_name"`
			Rationale string `json:"rationale"`
		} `json:"topics"`
	}
	if err := json.Unmarshal(raw, &fw); err != nil {
		return set, fmt.Errorf("autocode: %s: %w", themes, err)
	}
	set.Hints = map[string]string{}
	for _, letters := range fw {
		for l, t := range letters {
			if len(t.Topics) > 0 {
				set.Hints[l] = t.Topics[0].Name + ". " + t.Topics[0].Rationale
			}
		}
	}
	return set, nil
}

func loadGambling(dir, part string) (ThemefinderSet, error) {
	set := ThemefinderSet{Name: "themefinder gambling_XS " + part}
	texts := map[int]string{}
	var order []int
	err := readJSONL(filepath.Join(dir, "inputs", part, "responses.jsonl"), func(raw []byte) error {
		var r struct {
			ID       int    `json:"response_id"`
			Response string `json:"response"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		texts[r.ID] = r.Response
		order = append(order, r.ID)
		return nil
	})
	if err != nil {
		return set, err
	}
	labels := map[int][]string{}
	seen := map[string]bool{}
	err = readJSONL(filepath.Join(dir, "outputs/mapping/2025-07-22", part, "mapping.jsonl"), func(raw []byte) error {
		var r struct {
			ID     int      `json:"response_id"`
			Labels []string `json:"labels"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		labels[r.ID] = r.Labels
		for _, l := range r.Labels {
			seen[l] = true
		}
		return nil
	})
	if err != nil {
		return set, err
	}
	for _, id := range order {
		set.Answers = append(set.Answers, Labelled{Text: texts[id], Codes: labels[id]})
	}
	themes := filepath.Join(dir, "outputs/mapping/2025-07-22", part, "themes.json")
	raw, err := os.ReadFile(themes)
	if err != nil {
		return set, fmt.Errorf("autocode: themefinder: %w", err)
	}
	var ts []struct {
		ID    string `json:"topic_id"`
		Topic string `json:"topic"`
	}
	if err := json.Unmarshal(raw, &ts); err != nil {
		return set, fmt.Errorf("autocode: %s: %w", themes, err)
	}
	set.Hints = map[string]string{}
	for _, t := range ts {
		set.Hints[t.ID] = t.Topic
	}
	for c := range seen {
		set.Codes = append(set.Codes, c)
	}
	slices.Sort(set.Codes)
	return set, nil
}

func readJSONL(path string, each func([]byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("autocode: themefinder: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if err := each(sc.Bytes()); err != nil {
			return fmt.Errorf("autocode: %s: line %d: %w", path, line, err)
		}
	}
	return sc.Err()
}

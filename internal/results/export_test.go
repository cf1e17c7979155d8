package results

// OneByOne is a Service that counts every filtered figure response by
// response, for comparing with the summaries.
func OneByOne(s *Service) *Service {
	return &Service{Pool: s.Pool, oneByOne: true}
}

// FactKeyCap is factKeyCap: lists whose response-level filters match
// more are walked in order.
const FactKeyCap = factKeyCap

// SQLFacts is a Service that counts the filters no summary keeps from
// response_facts in SQL, not from the copy in memory.
func SQLFacts(s *Service) *Service {
	return &Service{Pool: s.Pool, sqlFacts: true}
}

// SmallProbes is a Service whose lists check searches with tiny probe
// budgets: a small consultation then goes through every way of checking
// one (window by window, all at once, read whole through the index).
func SmallProbes(s *Service) *Service {
	return &Service{Pool: s.Pool, smallProbes: true}
}

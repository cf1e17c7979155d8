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

package results

// OneByOne is a Service that counts every filtered figure response by
// response, for comparing with the summaries.
func OneByOne(s *Service) *Service {
	return &Service{Pool: s.Pool, oneByOne: true}
}

// SQLFacts is a Service that counts the filters no summary keeps from
// response_facts in SQL, not from the copy in memory.
func SQLFacts(s *Service) *Service {
	return &Service{Pool: s.Pool, sqlFacts: true}
}

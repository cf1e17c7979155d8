package demo

// freshPhrasings are two more ways respondents make each demo point,
// written for a second held-out set (#13, issue item 5) after the first
// held-out figures were seen, and before any model was run on them: no
// sentence here is the demo's own, a training rephrasing or a first
// test rephrasing (a test checks). They were written as a respondent
// would put the point, from the codeframe's names and the demo's text,
// without looking at any model's output, words or weights.
var freshPhrasings = map[string][2]string{
	// people-and-communities
	"S-GEN":      {"Care should be rated on how it feels to the person receiving it.", "What matters is what it is like to be cared for, not the paperwork or the furnishings."},
	"S-AWARE":    {"I doubt my neighbours could tell you what the Care Quality Commission does; it should be better publicised.", "CQC needs a higher profile so people know they can go to it."},
	"S-JOURNEY":  {"Tracking someone from hospital to home care to their GP would show where the handovers fail.", "Asking about every step of someone's care, start to finish, would expose patterns that single inspections miss."},
	"C-STAFF":    {"Nurses and carers have plenty to say about quality and should be asked for their feedback.", "Employees on the ground should be able to give feedback as well as service users."},
	"C-DIGITAL":  {"My mother has never used a computer, so an app-based system would never hear from her.", "Paper forms and phone lines must stay, or those who cannot get online will go unheard."},
	"C-POSITIVE": {"Ask people what went well, not just what went wrong.", "Praise and everyday experiences are useful feedback too, not just grievances."},
	// smarter-regulation
	"S-RATINGS":      {"A rating from five years ago tells you nothing; refreshing them regularly is overdue.", "Services that turn things around deserve a rating that shows it promptly."},
	"S-CHOICE":       {"When my dad needed a nursing home we had no idea which reports were still true; fresher ratings would have helped us decide.", "Better information on quality will help people pick a provider."},
	"S-TECH":         {"Online submission of information should save providers hours of form filling.", "Digital tools for gathering evidence could cut paperwork for services."},
	"C-ONSITE":       {"Nothing replaces inspectors walking round and seeing care for themselves.", "Remote monitoring cannot spot neglect the way a physical inspection does."},
	"C-DATA":         {"Data can be wrong or out of date, so who checks it before it is used?", "I am worried about the reliability of the information feeding into judgements."},
	"C-RATINGCHANGE": {"The process for moving a rating up or down based on data is not explained.", "Providers must get to respond before any information is used to downgrade them."},
	// safety-through-learning
	"S-LEARN":     {"When something goes wrong, the lessons should be shared so it does not happen elsewhere.", "Reviewing incidents and acting on what they show prevents repeat harm."},
	"S-DEFINE":    {"Everyone should mean the same thing when they talk about safe care.", "A single agreed understanding of what counts as safe, for hospitals and care homes alike, is sensible."},
	"S-CULTURE":   {"Staff who feel able to report problems without fear make services safer than any form.", "Safety depends on attitudes and openness far more than on ticking boxes."},
	"C-DETAIL":    {"The proposals on safety are vague about implementation.", "It is not explained how safety will be regulated day to day."},
	"C-ACCESS":    {"Care workers who are ignored by their managers must have a direct line to the regulator.", "Raising a concern with CQC should be straightforward for employees whose employer will not listen."},
	"C-SAFEGUARD": {"Protecting vulnerable adults and children from abuse deserves its own section.", "I was surprised to find nothing about safeguarding in the document."},
	// accelerating-improvement
	"S-IMPROVE":  {"Helping services learn from the best performers will raise standards.", "Always looking for ways to get better should be the norm, and CQC can encourage that."},
	"S-COLLAB":   {"A partnership approach between regulator and providers is long overdue.", "I am glad CQC wants to work alongside services instead of just policing them."},
	"S-INNOVATE": {"Trying new ideas should be encouraged, provided people are not put at risk.", "Backing providers who try new models of care is positive."},
	"C-RESEARCH": {"Evidence from academic studies should shape how care improves, and CQC should promote it.", "I would like to see research given a bigger place."},
	"C-ROLE":     {"Providers already answer to several bodies; the boundaries between CQC and NHS England need setting out.", "There is a risk of overlap with NHS England and Improvement unless responsibilities are defined."},
	"C-RESOURCE": {"You cannot ask services to get better while cutting their budgets.", "Staff shortages and tight funding make improvement very hard."},
	// assessing-systems
	"S-SYSTEM":     {"Partners in an area working as one system is how people get good care.", "I support looking at integrated care systems as a whole."},
	"S-TRANSITION": {"Discharge from hospital into social care is where people fall through the cracks, so this matters.", "How well services hand over a person's care deserves scrutiny."},
	"S-GAPS":       {"Looking across a whole area will highlight where services are not joined up.", "System assessments could uncover missing links in local care."},
	"C-POWERS":     {"I am not sure CQC is legally able to hold a whole system to account.", "New legislation may be needed before CQC can intervene across an area."},
	"C-COMMISSION": {"Councils and those who buy care must be part of any assessment.", "It is unclear how CQC will engage local authority commissioners."},
	"C-FINANCE":    {"Underfunding of local services should be acknowledged in any judgement.", "Budgets constrain what systems can achieve, and assessments must reflect that."},
	// tackling-inequalities
	"S-PRIORITY": {"Covid exposed deep inequalities, so making this a priority is right.", "Given how unevenly the pandemic fell, this is the right moment to act."},
	"S-MONITOR":  {"Keeping a close eye on whether some groups get worse care is welcome.", "Regular checks on equality of treatment across services should catch problems early."},
	"S-DIVERSE":  {"Reaching out to ethnic minority and other seldom heard communities is vital.", "You need to hear directly from people of different backgrounds."},
	"C-WIDER":    {"Deprivation, bad housing and low income cause health inequality, and a regulator cannot fix those.", "Much inequality comes from social factors that CQC has no control over."},
	"C-PLAN":     {"The actions and success measures are missing.", "I cannot tell what CQC will actually do on inequality or how it will know if it has worked."},
	"C-INVEST":   {"Reducing inequality will cost money that services do not have.", "Funding must follow if services are expected to close these gaps."},
	// equality-impact
	"S-EQUALITY": {"Putting equality and rights at the centre is the right thing to do.", "I am pleased to see human rights given such prominence."},
	"S-REDUCE":   {"This has the potential to narrow gaps in care between groups.", "Care should become fairer as a result."},
	"S-MINORITY": {"Groups who are usually overlooked could benefit.", "This is a positive step for minority communities."},
	"C-STEPS":    {"The assessment does not say what CQC will actually do next.", "Concrete actions should be listed, not just aims."},
	"C-EXCLUDED": {"People without internet access could be disadvantaged, and that needs mitigating.", "What will be done for those who cannot use digital services?"},
	"C-UPDATE":   {"This assessment should be revisited regularly.", "Please review the assessment as the strategy is rolled out."},
	// overarching
	"DETAIL":  {"There is not enough information about how this will be delivered.", "I would need to see the practical arrangements before deciding."},
	"GUIDE":   {"We will need clear instructions and plenty of notice to adapt.", "Please give services guidance and a sensible lead-in time."},
	"INVOLVE": {"Frontline colleagues would like a part in developing the new approach.", "Our team would welcome being asked to co-design this."},
}

// Openers, links and fillers of the fresh set: a third list of each,
// none in the training or first test lists.
var (
	freshOpeners = []string{"I agree with most of it.", "Yes, in principle.", "Some parts are fine, others not.", "I am against this.", "No firm view yet."}
	freshLinks   = []string{"Also, ", "I would point out that ", "A concern: "}
	freshFillers = []string{"Thanks for asking.", "That is all from me.", "Just my opinion."}
)

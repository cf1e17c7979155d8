package demo

// thirdPhrasings are two more ways respondents make each demo point,
// written for a third held-out set (#13 item 5) once the second
// (freshPhrasings) had become a development set. They were written from
// CQC's summary of its consultation and the demo codeframes' names,
// before any model was run on them and before the second set's errors
// were looked at, and committed before any candidate was measured on
// them: no sentence here is the demo's own, a training rephrasing, a
// first or second held-out phrasing (a test checks).
var thirdPhrasings = map[string][2]string{
	// people-and-communities
	"S-GEN":      {"The views of those who actually receive care should be the main measure of quality.", "I like that the person using the service is put first when judging it."},
	"S-AWARE":    {"Hardly anyone I know has heard of the regulator, so promoting it is a good move.", "People ought to know who to turn to about poor care, and that means telling them about CQC."},
	"S-JOURNEY":  {"Seeing how someone is passed between GP, hospital and care home would show up the weak links.", "Care should be looked at along the whole path a person takes, not in separate pieces."},
	"C-STAFF":    {"Those who deliver care every day should be heard as well as patients.", "Feedback from carers and nurses employed in services must be gathered too."},
	"C-DIGITAL":  {"Plenty of elderly people have no smartphone or broadband, so online-only feedback shuts them out.", "Keep offering ways to give feedback that do not need the internet."},
	"C-POSITIVE": {"Feedback should not only be about problems; people want to say thank you too.", "If you only gather complaints you will never learn what services do well."},
	// smarter-regulation
	"S-RATINGS":      {"Ratings that are years old mislead the public, so refreshing them more often is welcome.", "A service that has got better should not be stuck with an outdated grade."},
	"S-CHOICE":       {"Reliable, recent information would make choosing a care provider far easier for families.", "When you are picking care for a relative you need to know how good it is now."},
	"S-TECH":         {"Sending information electronically ought to be simpler than the current forms.", "Modern systems for collecting data would free up staff time at services."},
	"C-ONSITE":       {"Inspections in person must not be cut back, because poor care is seen, not read about.", "Fewer visits to services will let bad practice slip through, particularly where people cannot speak up."},
	"C-DATA":         {"Where does the information come from, and how will anyone know it is correct?", "Decisions built on poor quality data would be unfair, so the checks on it should be explained."},
	"C-RATINGCHANGE": {"It is not clear what would trigger a rating change between inspections.", "Services should be allowed to put their side before their rating is altered on the basis of figures."},
	// safety-through-learning
	"S-LEARN":     {"Learning lessons after things go wrong is the best way to prevent harm happening twice.", "Investigating mistakes and sharing what was found should stop them being repeated."},
	"S-DEFINE":    {"Having the same meaning of safety in every part of health and social care makes sense.", "A common standard for what safe looks like across the sector would help."},
	"S-CULTURE":   {"Being open about errors without blame does more for safety than paperwork.", "Staff feeling free to speak up is the heart of safe care."},
	"C-DETAIL":    {"I could not find how CQC will actually check safety under these plans.", "The section on safety is too thin on specifics about how it will work."},
	"C-ACCESS":    {"Workers whose managers ignore their worries need an easy route to CQC.", "Whistleblowing to the regulator should be simple and safe for staff."},
	"C-SAFEGUARD": {"Safeguarding of people at risk of abuse seems to have been left out.", "The plans say nothing about keeping vulnerable people safe from abuse and neglect."},
	// accelerating-improvement
	"S-IMPROVE":  {"Spreading what works well from one service to others will lift the quality of care.", "Helping services keep getting better, rather than just passing an inspection, is the right aim."},
	"S-COLLAB":   {"Working together with services instead of just judging them will build trust.", "A closer, more constructive relationship between the regulator and care providers is welcome."},
	"S-INNOVATE": {"New ways of delivering care should be encouraged if they are safe.", "I welcome support for services that want to try something different."},
	"C-RESEARCH": {"More backing for research into what makes care better is needed.", "The strategy should make more use of studies and evidence about improving care."},
	"C-ROLE":     {"It is confusing to know whether CQC or NHS England and Improvement is responsible for improvement.", "Providers do not want two bodies doing the same job, so the split of roles with NHS England must be clear."},
	"C-RESOURCE": {"Improvement takes funding and staff that many services simply do not have.", "Services are already stretched, so asking them to improve without extra resources is unrealistic."},
	// assessing-systems
	"S-SYSTEM":     {"Services working together across an area gives people better care.", "Looking at the whole local health and care system, not just single services, is the right move."},
	"S-TRANSITION": {"The handover between hospital and home is where care often fails, so looking at it is welcome.", "People move between many services, and those moves should be checked."},
	"S-GAPS":       {"Looking at systems should show where care is not joined up.", "Assessing an area as a whole would reveal the gaps between services."},
	"C-POWERS":     {"Does CQC have the authority in law to act on a whole system?", "Without the right legal powers, system assessments will achieve little."},
	"C-COMMISSION": {"The part played by councils and commissioners in this needs explaining.", "Commissioners decide what care is bought, so CQC must say how it will work with them."},
	"C-FINANCE":    {"A lack of money limits what any system can do, and that should be recognised.", "Judgements about systems must take account of the funding they have."},
	// tackling-inequalities
	"S-PRIORITY": {"After Covid, focusing on inequality is more important than ever.", "The pandemic hit some communities far harder, which makes this the right priority."},
	"S-MONITOR":  {"Actively checking whether some groups get worse care is a good idea.", "Ongoing monitoring should pick up unfair treatment before it becomes entrenched."},
	"S-DIVERSE":  {"Listening to people from many different communities is essential.", "CQC should talk to people from all walks of life about their care."},
	"C-WIDER":    {"Poverty and poor housing are the real causes of unequal health, and CQC cannot change them.", "A care regulator has little power over the social causes of inequality."},
	"C-PLAN":     {"There is no plan saying what CQC will do or how it will measure success.", "I want to see concrete actions and targets on inequality."},
	"C-INVEST":   {"Closing inequality gaps will need money that services do not have.", "Without more investment services cannot tackle inequality."},
	// equality-impact
	"S-EQUALITY": {"Equality and people's rights rightly sit at the heart of this.", "Making equality and human rights central is right."},
	"S-REDUCE":   {"This could help narrow inequalities in the care people get.", "Done well, this will make care more equal."},
	"S-MINORITY": {"Minority groups who are often overlooked stand to gain from this.", "This offers real opportunities for under-represented communities."},
	"C-STEPS":    {"The assessment needs to set out what CQC will actually do.", "I would like to see specific actions following the assessment."},
	"C-EXCLUDED": {"People who cannot get online must not be put at a disadvantage.", "The risk to those without digital skills needs to be dealt with."},
	"C-UPDATE":   {"The equality assessment should be updated as things change.", "Please keep revisiting this assessment while the strategy is put in place."},
	// overarching
	"DETAIL":  {"I need to know how this will work in practice before I can agree.", "The plans are too high level to judge how they will be delivered."},
	"GUIDE":   {"Providers will need clear guidance and enough time to get ready.", "Give us plenty of warning and good guidance before anything changes."},
	"INVOLVE": {"Our staff want to help shape the new approach.", "Colleagues here would like to be part of designing this."},
}

// Openers, links and fillers of the third set: a fourth list of each,
// none in the training, first or second held-out lists.
var (
	thirdOpeners = []string{"I support most of this.", "Overall I am in favour.", "Parts of it work, parts do not.", "I oppose this.", "I have not decided."}
	thirdLinks   = []string{"Additionally, ", "My worry is that ", "Another point: "}
	thirdFillers = []string{"Thank you.", "Nothing else to add.", "That is my view."}
)

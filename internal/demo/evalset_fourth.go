package demo

// fourthPhrasings are two more ways respondents make each demo point,
// written for a fourth held-out set (#13 item 5) once the second and
// third sets had both been looked at and become development sets. They
// were written from CQC's summary of its consultation, the strategy and
// the demo codeframes' names, in the voices of the people who answered
// (the public, people who use services and their families, care staff,
// providers, charities, CQC's own teams), and committed before any model
// was run on them. Their writer did not read the auto-coder's thesaurus
// or synonym lists, nor any model's output, words or weights. No
// sentence here is the demo's own, a training rephrasing, or a first,
// second or third held-out phrasing (a test checks).
//
// A concern may follow a link ("On top of that, ") with its first letter
// lowered, so none starts with a proper noun other than "CQC" or with
// a contraction of "I".
var fourthPhrasings = map[string][2]string{
	// people-and-communities
	"S-GEN":      {"Seeing quality through the eyes of patients and residents is exactly the right starting point.", "My husband's day-to-day experience of his care is what should count, and at last it seems it will."},
	"S-AWARE":    {"Most folk round here think CQC is part of the council, so getting the word out about what you actually do would be good.", "Until my mum went into a home I had never heard of CQC; more people need to know you exist and what you are there for."},
	"S-JOURNEY":  {"My dad's care went wrong between the ambulance, the ward and the care home, so asking people about all of it rather than one bit makes sense.", "Feedback that follows a patient through every service they come into contact with would show the problems that keep cropping up."},
	"C-STAFF":    {"Care workers are the ones who see what really goes on during a night shift, so please ask them what they think too.", "As a support worker I would like to know that people like me will be listened to, not just families and residents."},
	"C-DIGITAL":  {"Most of the residents I look after could never manage an online form, so feedback can't be web only.", "Not everyone has an email address or a tablet; some of us still prefer a letter or a phone call."},
	"C-POSITIVE": {"People should be encouraged to send in compliments as well, otherwise you only ever hear the bad side.", "When care is good people rarely bother to say so, so you need to ask them about the good bits too."},
	// smarter-regulation
	"S-RATINGS":      {"Our rating is four years old and no longer reflects the service we run today, so revising it sooner would be fair.", "A grade should change when the service changes, not years later at the next visit."},
	"S-CHOICE":       {"Finding a home for my nan was a nightmare, so anything that helps families compare places properly gets my vote.", "Clear, current information on how good a service is helps people decide where to go for their care."},
	"S-TECH":         {"We spend hours filling in the same returns, so an online portal that pulls data through automatically would be a big help.", "Smarter IT for sharing information with CQC should cut down the admin for providers."},
	"C-ONSITE":       {"You can't judge a care home from a desk; inspectors have to come in and watch what goes on.", "People with learning disabilities or autism often cannot tell you what is wrong, so an inspector has to actually go and see them."},
	"C-DATA":         {"Figures from providers can be massaged, so how will you make sure the information you use is reliable?", "I would want to know who supplies the data and how it gets verified."},
	"C-RATINGCHANGE": {"If a rating can move because of a set of numbers, providers must get the chance to explain them first.", "Nobody has explained how the information you collect would actually alter a service's rating."},
	// safety-through-learning
	"S-LEARN":     {"When there has been a near miss, everyone should learn from it so it does not happen to the next person.", "Looking properly into serious incidents and acting on the findings is how you stop harm recurring."},
	"S-DEFINE":    {"At the moment a hospital and a care home can mean quite different things by 'safe', so one agreed definition is welcome.", "Everyone across the sector working to the same idea of what safety is would remove a lot of confusion."},
	"S-CULTURE":   {"Staff need to feel they can own up to a mistake without being hung out to dry; that is what makes a place safe.", "Safety comes from the way a team behaves and talks to each other, not from forms and audits."},
	"C-DETAIL":    {"The safety theme sounds good but says very little about how you will inspect it.", "I would like to see more about the actual methods CQC will use to regulate safety."},
	"C-ACCESS":    {"When I raised concerns at work nothing happened, and I had no idea how to contact CQC instead.", "There should be a clear, confidential way for care staff to go straight to CQC when their employer won't act."},
	"C-SAFEGUARD": {"As a safeguarding lead I was disappointed that safeguarding hardly gets a mention.", "There should be a section on how CQC will make sure people at risk are protected from harm and abuse."},
	// accelerating-improvement
	"S-IMPROVE":  {"Services that are doing brilliant things should be showcased so others can copy them.", "Aiming to keep raising standards all the time, rather than just meeting the minimum, is spot on."},
	"S-COLLAB":   {"For years CQC has felt like the enemy, so a more supportive, two-way relationship with providers would be very welcome.", "Inspectors talking with managers as partners, not just turning up to catch us out, would change everything."},
	"S-INNOVATE": {"Giving providers room to experiment with fresh approaches, as long as people stay safe, is a good thing.", "During Covid we tried video consultations and they worked, so backing new ideas like that is right."},
	"C-RESEARCH": {"CQC could do far more to encourage services to take part in research.", "The strategy barely mentions evidence from universities and clinical trials, which is where improvement often comes from."},
	"C-ROLE":     {"We already get improvement visits from NHS England and Improvement, so I am not sure what CQC would add.", "If both CQC and NHSE/I are telling trusts how to improve, who do we listen to?"},
	"C-RESOURCE": {"We would love to improve but we can't recruit and our fees don't cover our costs.", "Improvement doesn't come free; services need the staff, training and cash to make it happen."},
	// assessing-systems
	"S-SYSTEM":     {"Health and social care organisations pulling in the same direction is what gets people good care.", "I welcome CQC looking at how hospitals, GP practices and care providers work together in a local area."},
	"S-TRANSITION": {"Being transferred from a ward to a care home was chaos for my uncle, so assessing those transfers is welcome.", "Referrals and discharges between services are where people get lost, so this is a sensible thing to look at."},
	"S-GAPS":       {"Checking a local system as a whole would expose where organisations fail to coordinate with each other.", "System oversight could pinpoint where partnership working is weak or missing."},
	"C-POWERS":     {"CQC can only take action against registered providers at the moment, so what legal basis would there be to act on a system?", "Assessing systems is pointless unless the law lets you do something about what you find."},
	"C-COMMISSION": {"Local authorities decide which services get contracts, so how will CQC work with them?", "Poor commissioning causes a lot of the problems providers get blamed for, and the strategy should say how commissioners fit in."},
	"C-FINANCE":    {"An area with its budget cut to the bone can't be judged the same as a well funded one.", "Money drives quality more than anything, and I would want CQC to say that openly when it assesses a system."},
	// tackling-inequalities
	"S-PRIORITY": {"Coronavirus showed just how unequal health in this country is, so it is right to put this near the top of the list.", "Lockdown hit poorer and minority families hardest, which is why this focus matters now."},
	"S-MONITOR":  {"Regularly looking at the data by ethnicity, disability and age would show who is getting a worse deal.", "Keeping watch on services all the time, rather than waiting for complaints, is how you will spot unequal care."},
	"S-DIVERSE":  {"Going out to speak to refugees, Traveller families and other groups who never fill in consultations is exactly what is needed.", "You will only understand unequal care by listening to people of every culture and background."},
	"C-WIDER":    {"Low wages, unemployment and poor schools do more damage to health than any care service, and those are beyond CQC.", "Honestly, the root causes of ill health in deprived areas are well outside what an inspector can change."},
	"C-PLAN":     {"The words are nice, but where are the milestones and measures for CQC's own work on inequality?", "CQC should publish its own targets on inequality and report on them each year."},
	"C-INVEST":   {"Reaching deprived communities properly costs money, and services are already on their knees financially.", "Unless the government puts extra funding in, providers won't be able to do much about inequality."},
	// equality-impact
	"S-EQUALITY": {"Good to see human rights taken seriously in this assessment.", "Equality running right through the strategy is something I strongly support."},
	"S-REDUCE":   {"If it works as intended, fewer people will get second-rate care because of who they are.", "I think this will help close the gap between the best and worst served groups."},
	"S-MINORITY": {"Groups that rarely get a voice, like disabled people and ethnic minorities, could really benefit.", "The opportunities set out look promising for communities that tend to be under-served."},
	"C-STEPS":    {"The impact assessment lists risks but not what CQC is going to do about them.", "It reads like a list of good intentions; tell us the specific things you will change as a result of the assessment."},
	"C-EXCLUDED": {"Plenty of disabled and older people don't use computers, and the assessment should explain how they won't lose out.", "Moving things online risks shutting out people without the skills or equipment, and that risk needs tackling."},
	"C-UPDATE":   {"An impact assessment is only useful if it is revised as the strategy changes.", "Treat the impact assessment as a living document and return to it regularly."},
	// overarching
	"DETAIL":  {"It all sounds fine on paper, but I can't see how any of it will actually be done.", "There is a lot of vision here and not much about delivery."},
	"GUIDE":   {"As a small care provider we will need proper guidance and a decent run-in period before any of this starts.", "Please don't spring changes on services; tell us clearly what is expected and give us time to adjust."},
	"INVOLVE": {"Our inspection team is keen to be involved in building the new methods.", "We would like front-line colleagues to have a hand in putting this together."},
}

// Openers, links and fillers of the fourth set: a fifth list of each,
// none in the training, first, second or third held-out lists. The
// openers follow the support scale, as the others do.
var (
	fourthOpeners = []string{"Fully behind this.", "Largely supportive.", "I'm in two minds.", "Not at all.", "Don't know really."}
	fourthLinks   = []string{"On top of that, ", "Something else: ", "What bothers me is that "}
	fourthFillers = []string{"Many thanks.", "Hope this is useful.", "That's everything from me."}
)

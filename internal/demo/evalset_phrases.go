package demo

// rephrasings are three more ways respondents make each demo point, in
// whole sentences. The evaluation set trains on the demo's own phrasing
// and the first of these, and tests on the other two, so no sentence a
// model learns from is one it is tested on.
var rephrasings = map[string][3]string{
	// people-and-communities
	"S-GEN":      {"Judging care by what people actually experience is the right approach.", "Putting the experience of people who use services first is the correct priority.", "People's real experience of care matters far more than how a building looks."},
	"S-AWARE":    {"Most of the public have no idea what CQC is for, so more awareness would help.", "Few people know what the regulator does; making CQC better known is welcome.", "The public should understand CQC's role much better than they do now."},
	"S-JOURNEY":  {"Looking at a person's whole journey through care, across services, would reveal recurring problems.", "Following people as they are handed from one service to another shows where care breaks down.", "Feedback covering the entire care journey, not one service at a time, is a good idea."},
	"C-STAFF":    {"Staff working in health and care see things others miss, so their views must count too.", "Please listen to front-line staff as well as patients; they know what goes on.", "The views of care workers and NHS staff should be used alongside those of the public."},
	"C-DIGITAL":  {"Not everyone is online, and older or disabled people could be shut out of digital feedback.", "Relying on online feedback will exclude people without internet access.", "Many older people do not use the internet and will be left out if feedback is only digital."},
	"C-POSITIVE": {"Feedback should include good and neutral experiences, not just complaints.", "Please collect positive feedback as well as complaints.", "Only hearing complaints gives a skewed picture; ask about good experiences too."},
	// smarter-regulation
	"S-RATINGS":      {"Up-to-date ratings would let services that have improved show it without waiting years.", "Ratings should be kept current so they reflect how a service is doing now.", "Old ratings are unfair on services that have improved; updating them more often is welcome."},
	"S-CHOICE":       {"Current ratings would help families choose a care home.", "A fuller picture of quality would help people choose the right care.", "Families picking a care home need ratings they can trust to be current."},
	"S-TECH":         {"Using technology to collect information should reduce the burden on services.", "Better technology for data collection would make things quicker for providers.", "Collecting information digitally should be quicker and less of a burden."},
	"C-ONSITE":       {"Spending less time on site risks missing poor care.", "Inspectors need to visit in person, especially learning disability and autism services, or poor care will be missed.", "Fewer site visits could mean poor care goes unnoticed."},
	"C-DATA":         {"I would want assurance about where the data comes from and whether it is accurate.", "How will CQC check that the data it relies on is accurate?", "The source and accuracy of the data needs to be clear."},
	"C-RATINGCHANGE": {"It is unclear how data will be used to change a rating, and providers need a chance to give context.", "Providers should be able to explain the context before data changes their rating.", "How exactly will information lead to a change in a service's rating?"},
	// safety-through-learning
	"S-LEARN":     {"Learning from incidents so the same mistakes are not repeated is the right focus.", "Services must learn from safety incidents to stop mistakes happening again.", "Stopping the same errors recurring by learning from incidents is vital."},
	"S-DEFINE":    {"One shared definition of safety across health and social care would help.", "A consistent definition of safety would help everyone work to the same standard.", "Health and social care need to agree what safety means."},
	"S-CULTURE":   {"An open safety culture matters more than checklists.", "A strong culture of safety is what really keeps people safe.", "Open cultures where people can speak up about safety are what count."},
	"C-DETAIL":    {"There is little detail on how the safety proposals will be put into practice.", "The safety section lacks detail on how regulation will actually work.", "I cannot see how the safety proposals will work in practice; there is not enough detail."},
	"C-ACCESS":    {"Staff with a concern need to be able to reach CQC easily when their provider does nothing.", "Whistleblowers need an easy way to contact CQC.", "It should be simple for staff to raise a concern with CQC directly."},
	"C-SAFEGUARD": {"Safeguarding is not mentioned at all, which is a serious gap.", "The strategy should say something clear about safeguarding.", "Where is safeguarding? It is missing from the strategy."},
	// accelerating-improvement
	"S-IMPROVE":  {"Sharing good practice and encouraging continuous improvement will help services get better.", "Continuous improvement should be at the heart of regulation.", "Spreading good practice between services is a welcome aim."},
	"S-COLLAB":   {"A more collaborative relationship with providers has been missing for a long time.", "Working with providers rather than against them is welcome.", "CQC and providers collaborating more closely would be a real change for the better."},
	"S-INNOVATE": {"Supporting innovation is welcome as long as it stays safe.", "Encouraging services to innovate is a good thing.", "New and innovative ways of working should be supported, safely."},
	"C-RESEARCH": {"There should be a stronger commitment to research that drives improvement.", "Research deserves much more support in the strategy.", "CQC should commit to supporting research into what improves care."},
	"C-ROLE":     {"CQC's role needs to be clear compared with NHS England and Improvement.", "Effort will be duplicated unless CQC's role is distinguished from NHS England and Improvement.", "Who does what between CQC and NHS England and Improvement is not clear."},
	"C-RESOURCE": {"Services cannot improve without the resources to do it.", "Improvement needs money and staff, and many services have neither.", "Without proper resources, improvement is wishful thinking."},
	// assessing-systems
	"S-SYSTEM":     {"Collaboration and system working are central to better care.", "Looking at how local systems work together is the right direction.", "System working is key to safer care."},
	"S-TRANSITION": {"People use more than one service, so how they move between providers matters.", "Moves between services are where things go wrong, so assessing them makes sense.", "Transitions between providers deserve much more attention."},
	"S-GAPS":       {"Oversight of local systems would show gaps in joined-up working.", "Assessing systems should reveal where joined-up care falls short.", "Finding the gaps between services is a welcome aim."},
	"C-POWERS":     {"Does CQC have the legal powers to act beyond individual providers?", "CQC may lack the legal powers needed to act on failings in a system.", "Without new legal powers, assessing systems will have no teeth."},
	"C-COMMISSION": {"The role of commissioners and local authorities needs to be clearer.", "How will CQC work with commissioners and councils?", "Local authorities and commissioners shape care, so their role must be set out."},
	"C-FINANCE":    {"Funding limits what a system can deliver, and CQC should say so.", "The link between funding and quality of care must be recognised.", "Financial pressures on systems cannot be ignored when judging them."},
	// tackling-inequalities
	"S-PRIORITY": {"This is an important focus, especially after the pandemic.", "The pandemic showed how some groups suffer most, so this focus is right.", "Tackling inequality matters more than ever after the pandemic."},
	"S-MONITOR":  {"Proactive monitoring should help spot inequality in how services treat people.", "Continuous monitoring could detect unequal treatment early.", "Monitoring services actively for inequality is welcome."},
	"S-DIVERSE":  {"Talking to people from diverse backgrounds is the only way to understand what they face.", "Engaging people from diverse communities who use services is essential.", "CQC must hear from people of all backgrounds."},
	"C-WIDER":    {"CQC cannot influence the wider causes of inequality such as poverty and housing.", "Poverty and housing drive inequality and lie outside CQC's reach.", "The wider causes of inequality are beyond what a regulator can change."},
	"C-PLAN":     {"There is no clear plan of what CQC will do or how progress will be measured.", "CQC needs a clear plan with measures of progress.", "How will progress on inequalities be measured? The plan is vague."},
	"C-INVEST":   {"Services would need money to tackle inequalities properly.", "Tackling inequalities needs investment in services.", "Without extra funding services cannot address inequality."},
	// equality-impact
	"S-EQUALITY": {"The focus on equality and human rights is welcome.", "Human rights and equality being central is good to see.", "I welcome the attention to equality and human rights."},
	"S-REDUCE":   {"It should help reduce inequalities in care.", "This could reduce inequality in the care people receive.", "Inequalities in care should reduce as a result."},
	"S-MINORITY": {"The opportunities are good news for minority groups who are often under-represented.", "Under-represented groups stand to benefit.", "Minority groups could gain from the opportunities identified."},
	"C-STEPS":    {"More detail is needed on the practical steps CQC will take.", "The assessment lacks practical steps.", "What practical steps will follow from the assessment?"},
	"C-EXCLUDED": {"How will risks for digitally excluded people be reduced?", "People who are digitally excluded face risks that need addressing.", "Digital exclusion is a real risk that the assessment must tackle."},
	"C-UPDATE":   {"The assessment should be kept up to date as the work goes on.", "Will the equality assessment be updated over time?", "Keep the assessment current as the strategy develops."},
	// overarching
	"DETAIL":  {"Without knowing how it will work in practice it is hard to support.", "The strategy needs to explain how it will be implemented.", "I need more detail on implementation before I could support it."},
	"GUIDE":   {"Providers need clear guidance and time to prepare.", "As a provider we would like guidance and enough time to get ready.", "Give providers clear guidance and a realistic timetable to prepare."},
	"INVOLVE": {"Colleagues in our team want to help design the changes.", "Our staff would like to be involved in shaping these changes.", "The team wants a say in designing how this works."},
}

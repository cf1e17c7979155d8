package audit

// Actions of admins running consultations and inviting users from the
// browser.
const (
	ConsultationCreated       = "consultation_created"
	ConsultationReplaced      = "consultation_definition_loaded"
	ConsultationEdited        = "consultation_details_changed"
	ConsultationStatusChanged = "consultation_status_changed"
	PasswordLinkCreated       = "password_link_created"
	PasswordLinkUsed          = "password_link_used"
)

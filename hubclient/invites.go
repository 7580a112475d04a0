package hubclient

// InviteService covers invites: list, resend, cancel, bulk.
type InviteService service

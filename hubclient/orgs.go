package hubclient

// OrgService covers organization settings.
type OrgService service

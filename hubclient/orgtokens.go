package hubclient

// OrgTokenService covers organization access tokens.
type OrgTokenService service

package hubclient

// AccountService covers the account profile and e-mail API v1.1 (not offered by every Hub).
type AccountService service

package hubclient

// AuditService covers audit logs and audit actions.
type AuditService service

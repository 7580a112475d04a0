package hubclient

// SCIMService covers SCIM 2.0 provisioning.
type SCIMService service

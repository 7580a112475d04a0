package hubclient

// ImageService covers image management (not offered by every Hub).
type ImageService service

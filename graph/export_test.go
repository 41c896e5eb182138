package graph

// SetBeforeCreate sets the hook that runs between a write's read of which
// nodes exist and its create, and returns a function that clears it.
func SetBeforeCreate(f func()) func() {
	beforeCreate = f
	return func() { beforeCreate = nil }
}

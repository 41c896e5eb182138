package companieshouse

// ParseOfficerList and ParsePSCList are the list parsers, with the kinds
// Run reads the lists as, for the fuzz targets of the external test
// package.
func ParseOfficerList(body []byte) (*List[Officer], error) {
	return parseList[Officer](body, "officer-list")
}

func ParsePSCList(body []byte) (*List[PSC], error) {
	return parseList[PSC](body, "persons-with-significant-control#list")
}

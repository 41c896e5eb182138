package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/exportwatch/exportwatch/api"
	"github.com/exportwatch/exportwatch/config"
)

// cmdAPIKey prints a new key once, for its holder, and the entry that goes
// into EXPORTWATCH_API_KEYS, which holds only the key's hash.
func cmdAPIKey(_ context.Context, _ config.Config, args []string) error {
	if len(args) != 2 {
		return errors.New("usage: exportwatch apikey NAME reader|editor")
	}
	key, entry, err := api.NewKey(args[0], args[1])
	if err != nil {
		return err
	}
	fmt.Printf("key (give it to %s; it is not stored anywhere): %s\n", args[0], key)
	fmt.Printf("add to EXPORTWATCH_API_KEYS (comma-separated): %s\n", entry)
	return nil
}

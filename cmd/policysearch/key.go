package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"policysearch/search/server"
)

// runKey makes a new random API key and prints the secret (to give to the
// client) and the line for --keys-file, which holds only its hash.
func runKey(_ context.Context, cfg Config) error {
	secret := "ps_" + rand.Text() + rand.Text()
	h := server.HashKey(secret)
	line := fmt.Sprintf("%s %s sha256:%s", cfg.Load.KeyName, cfg.Load.KeyScope, hex.EncodeToString(h[:]))
	if cfg.Load.KeyFilter != "" {
		line += " " + cfg.Load.KeyFilter
	}
	// Check the line the way serve will read it.
	if _, err := server.ParseKeys(strings.NewReader(line)); err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "key (give it to the client; it is not stored anywhere):\n  %s\nline for --keys-file:\n  %s\n", secret, line)
	return nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"policysearch/search"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// commands maps each subcommand to its runner and one-line summary.
var commands = []struct {
	name, summary string
	run           func(ctx context.Context, cfg Config) error
}{
	{"index", "build or update an index from a corpus directory", runIndex},
	{"serve", "serve the JSON API and the search page", runServe},
	{"search", "print the top results for a query", runSearch},
	{"compare", "print how much each region, year or type speaks of a query", runCompare},
	{"entities", "print the entities found in one file, for checking by eye", runEntities},
	{"bench", "measure segmentation, indexing, queries, load and cold start on a corpus", runBench},
	{"key", "make a new API key and print its line for --keys-file", runKey},
	{"load", "run mixed searches and writes against a running serve (loopback only)", runLoad},
}

// run runs the command line args and returns the exit code.
func run(args []string) int {
	if len(args) == 0 {
		usage(os.Stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case benchBuildCommand:
		return runBenchBuild(args[1:])
	case benchPlainCommand:
		return runBenchPlain(args[1:])
	}
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && isCommand(args[1]) {
			var c Config
			commandUsage(newFlagSet(args[1], &c, os.Stdout), os.Stdout)
			return exitOK
		}
		usage(os.Stdout)
		return exitOK
	}
	for _, cmd := range commands {
		if cmd.name != name {
			continue
		}
		cfg, err := parseConfig(name, args[1:], os.LookupEnv, os.Stderr)
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "policysearch %s: %v\nRun 'policysearch help %s' for usage.\n", name, err, name)
			return exitUsage
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := cmd.run(ctx, cfg); err != nil {
			fmt.Fprintf(os.Stderr, "policysearch %s: %v\n", name, err)
			return exitError
		}
		return exitOK
	}
	fmt.Fprintf(os.Stderr, "policysearch: unknown command %q\n\n", name)
	usage(os.Stderr)
	return exitUsage
}

func isCommand(name string) bool {
	for _, cmd := range commands {
		if cmd.name == name {
			return true
		}
	}
	return false
}

// usage prints the overview.
func usage(w io.Writer) {
	fmt.Fprint(w, `policysearch searches Chinese policy documents.

Usage:
  policysearch index  --corpus DIR --index DIR [--batch N]
  policysearch serve  [--index DIR] [--corpus DIR] [--addr 127.0.0.1:8080]
  policysearch search [--index DIR] [--size N] [--region R] [--year Y] QUERY...
  policysearch compare [--index DIR] [--by region|year|type|region,year] [--level L] [--region R] [--year Y] [--sort rate|matches|name] QUERY...
  policysearch bench  --corpus DIR [--scale N] [--duration D] [--json FILE]
  policysearch key    [--name NAME] [--scope read|write|admin] [--filter region=济南市]
  policysearch load   [--target http://127.0.0.1:8080] [--clients 64] [--duration 60s]
  policysearch help [COMMAND]

Commands:
`)
	for _, cmd := range commands {
		fmt.Fprintf(w, "  %-7s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprint(w, `
Without --index, serve and search use an index in the user cache directory,
built from the sample corpus embedded in the binary (or from --corpus) the
first time. serve answers at once; /readyz says 503 until the index is ready.

`)
	envUsage(w)
	fmt.Fprint(w, `
Examples:
  policysearch serve                      then open http://127.0.0.1:8080/
  policysearch search 医养
  policysearch search --region 山东省 --year 2023 "城市更新" -棚户区
  policysearch compare --by region --level county 医养
  policysearch index --corpus ../shared/corpus --index ./data/index
  policysearch serve --index ./data/index
`)
}

// commandUsage prints the flags of one subcommand.
func commandUsage(fs *flag.FlagSet, w io.Writer) {
	fmt.Fprintf(w, "Usage of %s:\n", fs.Name())
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintln(w)
	if strings.HasSuffix(fs.Name(), " serve") {
		fmt.Fprintf(w, `Fixed limits (400 beyond them): query %d bytes, page size %d, from+size %d,
facet_size %d, %d filter values, document ids of %s.

`, search.MaxQueryBytes, search.MaxSize, search.MaxWindow, search.MaxFacetSize, search.MaxFilterValues,
			"1-128 letters, digits, '.', '_', '-'")
	}
	envUsage(w)
}

// envUsage lists the environment variables.
func envUsage(w io.Writer) {
	fmt.Fprintln(w, "Environment (used for flags not given; flag > environment > --config file > default):")
	names := make([]string, len(envFlags))
	for i, f := range envFlags {
		names[i] = fmt.Sprintf("  %-32s --%s", envName(f), f)
	}
	fmt.Fprintln(w, strings.Join(names, "\n"))
	fmt.Fprintf(w, "  %-32s API key lines for serve, like --keys-file (';' separates lines)\n", envKeys)
	fmt.Fprintf(w, "  %-32s the write key of the load command\n", envLoadKey)

}

package cli

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kyc-platform/kyc/internal/config"
)

// helpExtra is what a command's help shows after its flags.
func helpExtra(name string) func(io.Writer, *flag.FlagSet) {
	if name == "serve" {
		return printSettings
	}
	return nil
}

// settingNames are the environment variables the configuration reads,
// found by letting config.FromEnv read an empty environment: the list
// cannot drift from the code.
func settingNames() []string {
	var names []string
	_, _ = config.FromEnv(func(name string) string {
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
		return ""
	})
	slices.Sort(names)
	return names
}

// printSettings lists every setting of kyc serve from config.Settings
// (the list the README's configuration table is written from): its
// environment variable, its flag where there is one, its default and what
// it does, the Markdown of the description made plain text and wrapped.
// A variable the configuration reads that the list lacks (a test keeps
// them in agreement) is still named.
func printSettings(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "Settings: environment variables (a flag, where there is one, wins);")
	fmt.Fprintln(w, "README, \"Configuration\", has the same table.")
	listed := map[string]bool{}
	for _, s := range config.Settings() {
		listed[s.Name] = true
		head := "  " + s.Name
		if f := settingFlag(s, fs); f != "" {
			head += " (" + f + ")"
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, head)
		for _, line := range wrapText(plainText(s.Doc), 74) {
			fmt.Fprintln(w, "      "+line)
		}
		if s.Default != "" {
			for _, line := range wrapText("Default: "+plainText(s.Default), 74) {
				fmt.Fprintln(w, "      "+line)
			}
		}
	}
	for _, n := range settingNames() {
		if !listed[n] {
			fmt.Fprintf(w, "\n  %s\n", n)
		}
	}
}

// settingFlag is the flag that overrides s in this command: the one the
// settings list names, or one named like the variable (KYC_DATA_DIR,
// --data-dir), when the command has it.
func settingFlag(s config.Setting, fs *flag.FlagSet) string {
	for _, f := range []string{strings.TrimPrefix(s.Flag, "--"), strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(s.Name, "KYC_")), "_", "-")} {
		if f != "" && fs.Lookup(f) != nil {
			return "--" + f
		}
	}
	return ""
}

// plainText drops the Markdown of a setting's description (code spans,
// bold) for a terminal.
func plainText(md string) string {
	return strings.NewReplacer("`", "", "**", "").Replace(md)
}

// wrapText breaks text into lines of at most width columns, at spaces (a
// longer word stays whole).
func wrapText(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

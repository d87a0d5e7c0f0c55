package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// confirm asks on the terminal before a destructive command goes on: the
// question on standard error, "yes" (or "y") read from standard input.
// When standard input is not a terminal (a script, a pipe, CI) nobody can
// answer: the command stops with a usage error (exit status 2) that says
// to pass --yes, so that a script never deletes by accident and never
// hangs waiting. An answer other than yes stops it with status 1 and
// nothing changed.
func confirm(e *Env, question, nonInteractive string) error {
	if !stdinIsTerminal(e.Stdin) {
		return usageErr("%s (standard input is not a terminal to ask on)", nonInteractive)
	}
	fmt.Fprintf(e.Stderr, "%s Type yes to confirm: ", question)
	line, err := bufio.NewReader(e.Stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(e.Stderr)
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "yes", "y":
		return nil
	}
	return &exitError{code: 1, msg: "not confirmed: nothing changed"}
}

// stdinIsTerminal reports whether r is a terminal (a character device),
// as os.Stdin is in an interactive shell.
func stdinIsTerminal(r io.Reader) bool {
	f, ok := r.(interface{ Stat() (os.FileInfo, error) })
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

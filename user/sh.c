/*
 * user/sh.c - the shell.
 *
 * Usage: sh            read commands from standard input
 *        sh FILE       run the commands in FILE (a script), then exit
 *        sh -c LINE    run one command line, then exit
 * It prints the prompt "$ " (on fd 2) only when standard input is the
 * console. It exits at end of input, or on the builtin `exit [N]`; in
 * script and -c mode its status is that of the last command run.
 *
 * Grammar of a line (no quoting):
 *
 *   line     := [ list ] [ '#' comment ]
 *   list     := pipeline ( (';' | '&') pipeline )* [ ';' | '&' ]
 *   pipeline := command ( '|' command )*
 *   command  := ( word | '<' word | '>' word | '>>' word )+
 *
 * ';' runs pipelines one after another; '&' starts the pipeline in the
 * background without waiting. Redirections: '<' reads standard input from
 * a file, '>' writes standard output to a file (created or truncated), '>>'
 * appends to it. Builtins: cd [DIR] (default /) and exit [N].
 *
 * The whole line is parsed before anything runs: a syntax error prints a
 * message and runs nothing. A program is looked up by its name and then,
 * for names without '/', as /name, so programs work from any directory.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

#define MAXLINE 512
#define MAXSTAGES 8	/* commands in one pipeline */
#define MAXPIPELINES 16 /* pipelines in one line */

enum token { T_END, T_WORD, T_PIPE, T_SEMI, T_AMP, T_IN, T_OUT, T_APPEND };

struct command {
	char *argv[MAXARG + 1]; /* NULL-terminated */
	int argc;
	char *in;   /* file for '<', or NULL */
	char *out;  /* file for '>' or '>>', or NULL */
	int append; /* out came from '>>' */
};

struct pipeline {
	struct command cmd[MAXSTAGES];
	int n;
	int background;
};

/* Parser state for one line. */
struct parser {
	const char *p;		 /* next character of the line */
	enum token tok;		 /* current token */
	char *word;		 /* its text, when tok == T_WORD */
	char *store;		 /* where the next word's text goes */
	char words[2 * MAXLINE]; /* word texts, NUL-terminated */
};

static struct pipeline pipelines[MAXPIPELINES];
static int last_status;

/* ---- parsing ---- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int is_special(char c)
{
	return c == '|' || c == ';' || c == '&' || c == '<' || c == '>';
}

/* Advance to the next token. */
static void next_token(struct parser *ps)
{
	const char *p = ps->p;

	while (is_blank(*p))
		p++;
	ps->word = 0;
	switch (*p) {
	case 0:
	case '#':
		ps->tok = T_END;
		ps->p = p;
		return;
	case '|':
		ps->tok = T_PIPE;
		break;
	case ';':
		ps->tok = T_SEMI;
		break;
	case '&':
		ps->tok = T_AMP;
		break;
	case '<':
		ps->tok = T_IN;
		break;
	case '>':
		ps->tok = T_OUT;
		if (p[1] == '>') {
			ps->tok = T_APPEND;
			p++;
		}
		break;
	default:
		ps->tok = T_WORD;
		ps->word = ps->store;
		while (*p && !is_blank(*p) && !is_special(*p))
			*ps->store++ = *p++;
		*ps->store++ = 0;
		ps->p = p;
		return;
	}
	ps->p = p + 1;
}

static const char *token_text(struct parser *ps)
{
	static const char *const names[] = {"end of line", "word", "|", ";", "&", "<", ">", ">>"};

	return ps->tok == T_WORD ? ps->word : names[ps->tok];
}

static int syntax_error(struct parser *ps, const char *what)
{
	fprintf(2, "sh: %s near '%s'\n", what, token_text(ps));
	return -1;
}

static int parse_command(struct parser *ps, struct command *c)
{
	c->argc = 0;
	c->in = c->out = 0;
	c->append = 0;
	for (;;) {
		if (ps->tok == T_WORD) {
			if (c->argc == MAXARG)
				return syntax_error(ps, "too many arguments");
			c->argv[c->argc++] = ps->word;
			next_token(ps);
		} else if (ps->tok == T_IN || ps->tok == T_OUT || ps->tok == T_APPEND) {
			enum token kind = ps->tok;
			next_token(ps);
			if (ps->tok != T_WORD)
				return syntax_error(ps, "missing file name for redirection");
			if (kind == T_IN) {
				c->in = ps->word;
			} else {
				c->out = ps->word;
				c->append = kind == T_APPEND;
			}
			next_token(ps);
		} else {
			break;
		}
	}
	c->argv[c->argc] = 0;
	if (c->argc == 0)
		return syntax_error(ps, "missing command");
	return 0;
}

static int parse_pipeline(struct parser *ps, struct pipeline *pl)
{
	pl->n = 0;
	pl->background = 0;
	for (;;) {
		if (pl->n == MAXSTAGES)
			return syntax_error(ps, "pipeline too long");
		if (parse_command(ps, &pl->cmd[pl->n++]) < 0)
			return -1;
		if (ps->tok != T_PIPE)
			return 0;
		next_token(ps);
	}
}

/* Parse @line into pipelines[]. Return: how many, or -1 after an error. */
static int parse_line(const char *line)
{
	static struct parser ps;
	int n = 0;

	ps.p = line;
	ps.store = ps.words;
	next_token(&ps);
	while (ps.tok != T_END) {
		if (n == MAXPIPELINES)
			return syntax_error(&ps, "too many commands");
		if (parse_pipeline(&ps, &pipelines[n]) < 0)
			return -1;
		if (ps.tok == T_SEMI || ps.tok == T_AMP) {
			pipelines[n].background = ps.tok == T_AMP;
			next_token(&ps);
		} else if (ps.tok != T_END) {
			return syntax_error(&ps, "unexpected");
		}
		n++;
	}
	return n;
}

/* ---- running ---- */

/* Make @to refer to what @from does, and close @from. Return: 0 or -1. */
static int move_fd(int from, int to)
{
	if (from == to)
		return 0;
	close(to);
	if (dup(from) != to)
		return -1;
	close(from);
	return 0;
}

/* In a child: set up the command's redirections. Return: 0 or -1. */
static int redirect(struct command *c)
{
	int fd;

	if (c->in) {
		fd = open(c->in, O_RDONLY);
		if (fd < 0 || move_fd(fd, 0) < 0) {
			fprintf(2, "sh: cannot open %s\n", c->in);
			return -1;
		}
	}
	if (c->out) {
		if (c->append) {
			/* No O_APPEND: read to the end so writes land there. */
			static char skip[512];
			fd = open(c->out, O_RDWR | O_CREATE);
			while (fd >= 0 && read(fd, skip, sizeof(skip)) > 0)
				;
		} else {
			fd = open(c->out, O_WRONLY | O_CREATE | O_TRUNC);
		}
		if (fd < 0 || move_fd(fd, 1) < 0) {
			fprintf(2, "sh: cannot create %s\n", c->out);
			return -1;
		}
	}
	return 0;
}

/* In a child: run the command. Never returns. */
static void run_command(struct command *c)
{
	char path[MAXPATH];

	if (redirect(c) < 0)
		exit(1);
	if (strcmp(c->argv[0], "cd") == 0 || strcmp(c->argv[0], "exit") == 0)
		exit(0); /* builtins have no effect inside a pipeline */
	exec(c->argv[0], c->argv);
	if (strchr(c->argv[0], '/') == 0 && strlen(c->argv[0]) + 2 <= sizeof(path)) {
		path[0] = '/';
		strcpy(path + 1, c->argv[0]);
		exec(path, c->argv);
	}
	fprintf(2, "sh: exec %s failed\n", c->argv[0]);
	exit(127);
}

/*
 * Start every command of @pl, connected by pipes, recording pids in @pids
 * (-1 for a command that could not be started). Return: the number started.
 */
static int start_pipeline(struct pipeline *pl, int *pids)
{
	int prev = -1; /* read end of the pipe from the previous command */
	int started = 0;

	for (int i = 0; i < pl->n; i++) {
		int p[2] = {-1, -1};

		pids[i] = -1;
		if (i + 1 < pl->n && pipe(p) < 0) {
			fprintf(2, "sh: pipe failed\n");
			break;
		}
		pids[i] = fork();
		if (pids[i] == 0) {
			if (prev >= 0 && move_fd(prev, 0) < 0)
				exit(1);
			if (p[1] >= 0) {
				close(p[0]);
				if (move_fd(p[1], 1) < 0)
					exit(1);
			}
			run_command(&pl->cmd[i]);
		}
		if (pids[i] < 0)
			fprintf(2, "sh: fork failed\n");
		else
			started++;
		if (prev >= 0)
			close(prev);
		if (p[1] >= 0)
			close(p[1]);
		prev = p[0];
		if (pids[i] < 0)
			break;
	}
	if (prev >= 0)
		close(prev);
	return started;
}

/* Wait until every started pid in @pids has exited. Return: the last one's status. */
static int wait_pipeline(int *pids, int n)
{
	int left = 0, status = 0, st, pid;

	if (n == 0)
		return 1;
	for (int i = 0; i < n; i++)
		left += pids[i] > 0;
	while (left > 0 && (pid = wait(&st)) >= 0) {
		for (int i = 0; i < n; i++) {
			if (pids[i] == pid) {
				left--;
				if (i == n - 1)
					status = st;
			}
		}
	}
	if (pids[n - 1] < 0)
		status = 1;
	return status;
}

static int builtin_cd(struct command *c)
{
	const char *dir = c->argc > 1 ? c->argv[1] : "/";

	if (c->argc > 2) {
		fprintf(2, "sh: cd: too many arguments\n");
		return 1;
	}
	if (chdir(dir) < 0) {
		fprintf(2, "sh: cannot cd %s\n", dir);
		return 1;
	}
	return 0;
}

static void run_pipeline(struct pipeline *pl)
{
	int pids[MAXSTAGES];
	struct command *c = &pl->cmd[0];
	int pid, w;

	if (pl->n == 1 && !pl->background) {
		if (strcmp(c->argv[0], "cd") == 0) {
			last_status = builtin_cd(c);
			return;
		}
		if (strcmp(c->argv[0], "exit") == 0)
			exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
	}
	if (!pl->background) {
		last_status = wait_pipeline(pids, start_pipeline(pl, pids) > 0 ? pl->n : 0);
		return;
	}
	/*
	 * Background: a helper process starts the pipeline and exits at once,
	 * so the commands are orphans that init reaps; the shell only waits
	 * for the helper.
	 */
	pid = fork();
	if (pid == 0) {
		start_pipeline(pl, pids);
		exit(0);
	}
	if (pid < 0) {
		fprintf(2, "sh: fork failed\n");
		last_status = 1;
		return;
	}
	while ((w = wait(0)) != pid && w >= 0)
		;
	last_status = 0;
}

static void run_line(const char *line)
{
	int n = parse_line(line);

	if (n < 0) {
		last_status = 2;
		return;
	}
	for (int i = 0; i < n; i++)
		run_pipeline(&pipelines[i]);
}

/* ---- input ---- */

/*
 * Read one line from @fd into @buf (without the newline). Reads a byte at
 * a time so that nothing after the newline is taken from the programs the
 * line will run. A line that does not fit is reported and skipped.
 * Return: 1 for a line, 0 at end of input.
 */
static int read_line(int fd, char *buf, int size)
{
	int n = 0, too_long = 0;
	char c;

	for (;;) {
		int r = read(fd, &c, 1);
		if (r < 1) {
			if (n == 0 && !too_long)
				return 0;
			break;
		}
		if (c == '\n')
			break;
		if (n + 1 < size)
			buf[n++] = c;
		else
			too_long = 1;
	}
	buf[n] = 0;
	if (too_long) {
		fprintf(2, "sh: line too long (max %d bytes)\n", size - 1);
		buf[0] = 0;
	}
	return 1;
}

int main(int argc, char *argv[])
{
	static char line[MAXLINE];
	struct stat st;
	int fd = 0, interactive;

	if (argc == 3 && strcmp(argv[1], "-c") == 0) {
		run_line(argv[2]);
		return last_status;
	}
	if (argc == 2) {
		fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			fprintf(2, "sh: cannot open %s\n", argv[1]);
			return 1;
		}
	} else if (argc > 2) {
		fprintf(2, "usage: sh [FILE | -c LINE]\n");
		return 1;
	}
	interactive = fd == 0 && fstat(0, &st) == 0 && st.type == T_DEVICE;
	for (;;) {
		if (interactive)
			write(2, "$ ", 2);
		if (!read_line(fd, line, sizeof(line)))
			break;
		run_line(line);
	}
	return interactive ? 0 : last_status;
}

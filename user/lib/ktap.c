/*
 * user/lib/ktap.c - signed KTAP result lines for the labs' user test
 * programs (user/ktap.h): read the grader's key, sign each line with
 * SipHash-2-4 (include/uapi/pagoda/ktap_mac.h).
 *
 * The key lives in this process's memory only; lines printed before it is
 * read, or without -k, are unsigned and the grader ignores them.
 */
#include "user/user.h"
#include "user/ktap.h"
#include "uapi/pagoda/ktap_mac.h"

static int ktap_signing;
static u64 ktap_key[2];
static u64 ktap_counter;

int ktap_read_key(const char *prog, int argc, char **argv)
{
	char line[80];
	int n = 0, r;

	if (argc < 2 || strcmp(argv[1], "-k") != 0)
		return 0;
	printf("%s: key?\n", prog);
	/* the console gives one line per read; a pipe may give less */
	while (n < (int)sizeof(line) - 1 && (r = read(0, line + n, sizeof(line) - 1 - n)) > 0) {
		n += r;
		if (line[n - 1] == '\n')
			break;
	}
	if (n < KTAP_KEY_HEX || ktap_parse_key(line, ktap_key) < 0) {
		printf("# %s: no key read: result lines are not signed\n", prog);
		return -1;
	}
	memset(line, 0, sizeof(line));
	ktap_signing = 1;
	return 1;
}

void ktap_result(int ok, int n, const char *name, const char *directive)
{
	char text[256];

	snprintf(text, sizeof(text), "%sok %d %s%s%s", ok ? "" : "not ", n, name,
		 directive ? " # " : "", directive ? directive : "");
	if (!ktap_signing) {
		printf("%s\n", text);
		return;
	}
	printf("%s # kmac:%016lx\n", text,
	       (unsigned long)ktap_siphash(ktap_key[0], ktap_key[1], text, strlen(text)));
}

u64 ktap_random(void)
{
	u64 n = ++ktap_counter;

	return ktap_siphash(ktap_key[0], ktap_key[1] ^ 0x72616e646f6d2121ULL, &n, sizeof(n));
}

int ktap_expect_kill(void (*fn)(void), u64 addr, const char *why, char *evidence, int size)
{
	int fds[2], pid, status = -2, len = strlen(evidence);
	char proof = (char)(ktap_random() | 1), got = 0;

	if (pipe(fds) < 0) {
		printf("# pipe failed\n");
		return 0;
	}
	pid = fork();
	if (pid < 0) {
		printf("# fork failed\n");
		close(fds[0]);
		close(fds[1]);
		return 0;
	}
	if (pid == 0) {
		close(fds[0]);
		write(fds[1], &proof, 1);
		close(fds[1]);
		fn();
		exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &got, 1) != 1)
		got = 0;
	close(fds[0]);
	if (wait(&status) != pid)
		status = -2;
	if (got != proof) {
		printf("# the child (pid %d) never ran: it was gone (status %d) before it could "
		       "touch 0x%lx\n",
		       pid, status, (unsigned long)addr);
		return 0;
	}
	if (status != -1) {
		printf("# the child (pid %d) was not killed (status %d): its access to 0x%lx was "
		       "allowed\n",
		       pid, status, (unsigned long)addr);
		return 0;
	}
	snprintf(evidence + len, size - len, "%spid %d at 0x%lx%s%s%s", len ? " " : "killed ", pid,
		 (unsigned long)addr, why ? " (" : "", why ? why : "", why ? ")" : "");
	return 1;
}

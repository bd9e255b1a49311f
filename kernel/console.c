/*
 * kernel/console.c - the console device: line-edited input, output.
 *
 * Input arrives one character at a time from the UART interrupt
 * (console_intr). Characters are echoed and collected in a ring buffer;
 * read() sees a line only once it is complete (Enter, ^D, or a full
 * buffer), so Backspace and ^U can still change it:
 *
 *   buf: [ ... consumed ... | r: ready for read() ... | w ... e: being edited ]
 *
 *   r  next character read() returns
 *   w  end of the completed lines
 *   e  end of the line being edited
 *
 * ^P prints the process list at once (useful when the machine seems hung).
 * ^B at the start of a line: the rest of that line is not echoed (the lab
 * graders type their per-run key that way, include/uapi/pagoda/ktap_mac.h),
 * and characters read() has taken are wiped from the buffer.
 */
#include <kernel/console.h>
#include <kernel/arch.h>
#include <kernel/spinlock.h>
#include <kernel/proc.h>
#include <kernel/file.h>
#include <kernel/uaccess.h>
#include <kernel/string.h>

#define INPUT_BUF 128
#define CTRL(x) ((x) - '@')
#define BACKSPACE 0x100

static struct {
	struct spinlock lock;
	char buf[INPUT_BUF];
	u32 r, w, e;
	bool quiet; /* ^B: this line is not echoed */
} cons;

static struct spinlock out_lock = SPINLOCK_INIT("console-out");

void console_putc(int c)
{
	if (c == BACKSPACE) {
		arch_console_putc('\b');
		arch_console_putc(' ');
		arch_console_putc('\b');
	} else {
		arch_console_putc(c);
	}
}

static int console_write(int user_src, u64 src, int n)
{
	char chunk[64];
	int done = 0;

	while (done < n) {
		int m = MIN(n - done, (int)sizeof(chunk));
		/* a huge write takes minutes at the UART's pace: a kill ends it */
		if (user_src && myproc() && killed(myproc()))
			break;
		if (either_copyin(chunk, user_src, src + done, m) < 0)
			break;
		spin_lock(&out_lock);
		for (int i = 0; i < m; i++)
			console_putc(chunk[i]);
		spin_unlock(&out_lock);
		done += m;
	}
	return done;
}

/*
 * Read at most one line. Characters are taken into a local buffer under the
 * lock and copied out after it: copying to user memory may fault a page in,
 * which must not happen while holding a spinlock.
 */
static int console_read(int user_dst, u64 dst, int n)
{
	char line[INPUT_BUF];
	int got = 0;

	if (n > INPUT_BUF)
		n = INPUT_BUF;
	spin_lock(&cons.lock);
	while (got < n) {
		while (cons.r == cons.w) {
			if (killed(myproc())) {
				spin_unlock(&cons.lock);
				return -1;
			}
			sleep(&cons.r, &cons.lock);
		}
		char c = cons.buf[cons.r % INPUT_BUF];

		cons.buf[cons.r++ % INPUT_BUF] = 0;
		if (c == CTRL('D')) {
			/* end of file: keep it for next time if we already have data */
			if (got > 0)
				cons.r--;
			break;
		}
		line[got++] = c;
		if (c == '\n')
			break;
	}
	spin_unlock(&cons.lock);
	if (got > 0 && either_copyout(user_dst, dst, line, got) < 0)
		got = -1;
	memset(line, 0, sizeof(line));
	return got;
}

void console_intr(int c)
{
	spin_lock(&cons.lock);
	switch (c) {
	case CTRL('P'):
		procdump();
		break;
	case CTRL('U'):
		while (cons.e != cons.w && cons.buf[(cons.e - 1) % INPUT_BUF] != '\n') {
			cons.e--;
			console_putc(BACKSPACE);
		}
		break;
	case CTRL('H'):
	case 0x7f:
		if (cons.e != cons.w) {
			cons.e--;
			console_putc(BACKSPACE);
		}
		break;
	case CTRL('B'):
		if (cons.e == cons.w)
			cons.quiet = true;
		break;
	default:
		if (c == 0 || cons.e - cons.r >= INPUT_BUF)
			break;
		if (c == '\r')
			c = '\n';
		if (!cons.quiet)
			console_putc(c);
		cons.buf[cons.e++ % INPUT_BUF] = (char)c;
		if (c == '\n' || c == CTRL('D') || cons.e - cons.r == INPUT_BUF) {
			cons.w = cons.e;
			cons.quiet = false;
			wakeup(&cons.r);
		}
		break;
	}
	spin_unlock(&cons.lock);
}

void console_init(void)
{
	spin_lock_init(&cons.lock, "console");
	devsw[CONSOLE].read = console_read;
	devsw[CONSOLE].write = console_write;
}

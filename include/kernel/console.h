/*
 * kernel/console.h - the console: line-edited input from the UART,
 * synchronous output, and its entry in devsw (major CONSOLE).
 *
 * Editing keys: Backspace/DEL erase a character, ^U erases the line,
 * ^D ends input (read returns 0 on an empty line), ^P lists processes.
 */
#ifndef _KERNEL_CONSOLE_H
#define _KERNEL_CONSOLE_H

void console_init(void);
void console_intr(int c);
void console_putc(int c);

#endif /* _KERNEL_CONSOLE_H */

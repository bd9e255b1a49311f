// user/xv6/xv6wall.c - a pipe program in the style of xv6's first course
// assignments, written for Pagoda's compatibility check. Its code is the
// kind xv6's -Wall accepts and -Wextra rejects (Pagoda's own programs are
// built with -Wextra): a signed/unsigned comparison (i < strlen(s)), a
// switch case that falls through without a comment, and an unsigned value
// compared with < 0. make test checks that Pagoda's flags do reject it, so
// it keeps proving that user/xv6/ is built with xv6's.
//
// The parent sends each word of a sentence to a child through one pipe;
// the child counts vowels and letters and sends the totals back through
// another. Prints "xv6wall: N letters, M vowels" and exits 0 if the totals
// are the ones the parent counted itself; else names what differs and
// exits 1.

#include "kernel/types.h"
#include "kernel/stat.h"
#include "user/user.h"

char *words[] = { "pagoda", "runs", "programs", "brought", "from", "xv6", 0 };

// add c to the counts
void
count(char c, int *letters, int *vowels)
{
  switch(c){
  case 'a': case 'e': case 'i': case 'o': case 'u':
    *vowels += 1;
  default:
    if(c >= 'a' && c <= 'z')
      *letters += 1;
  }
}

int
main(int argc, char *argv[])
{
  int down[2], up[2], i, w, pid, status;
  int letters = 0, vowels = 0, got[2];
  uint n;
  char c;

  if(pipe(down) < 0 || pipe(up) < 0){
    printf("xv6wall: FAILED: pipe\n");
    exit(1);
  }
  pid = fork();
  if(pid == 0){
    close(down[1]);
    close(up[0]);
    while(read(down[0], &c, 1) == 1)
      count(c, &letters, &vowels);
    got[0] = letters;
    got[1] = vowels;
    write(up[1], got, sizeof(got));
    exit(0);
  }
  close(down[0]);
  close(up[1]);
  for(w = 0; words[w]; w++){
    for(i = 0; i < strlen(words[w]); i++)
      count(words[w][i], &letters, &vowels);
    n = write(down[1], words[w], strlen(words[w]));
    if(n < 0 || n != strlen(words[w])){
      printf("xv6wall: FAILED: write to the pipe\n");
      exit(1);
    }
  }
  close(down[1]);
  if(read(up[0], got, sizeof(got)) != sizeof(got)){
    printf("xv6wall: FAILED: no answer from the child\n");
    exit(1);
  }
  wait(&status);
  if(got[0] != letters || got[1] != vowels || status != 0){
    printf("xv6wall: FAILED: the child counted %d letters, %d vowels; expected %d, %d\n",
           got[0], got[1], letters, vowels);
    exit(1);
  }
  printf("xv6wall: %d letters, %d vowels\n", letters, vowels);
  exit(0);
}

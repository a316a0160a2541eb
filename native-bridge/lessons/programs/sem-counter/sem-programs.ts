/**
 * sem_main.c, sem_adder.c and sem_waiter.c: seed 004's semaphores guarding
 * a shared counter, in our words. main makes one segment and one set of four
 * semaphores (a start gate, a binary mutex, a "done" count, a counting
 * semaphore of places); two adders increment the counter with and without the
 * mutex; a third process waits for the mutex and for a place.
 */
import { cProgram } from '../../program-source';
import { text } from '../../step-kit';

/* increments per adder and round: enough for the two loops to overlap on two cores */
export const SEM_TIMES = 100_000;

const semNumbers = [
  ['#define GATE 0', text('1 = closed: the adders wait for it to reach 0', '1 = 关闭：加法进程等它变为 0', '1 = 關閉：加法行程等它變為 0')],
  ['#define MUTEX 1', text('binary semaphore: 1 free, 0 taken', '二值信号量：1 空闲，0 已占用', '二值號誌：1 空閒，0 已佔用')],
  ['#define DONE 2', text('each adder adds 1 when its loop ends', '每个加法进程循环结束时加 1', '每個加法行程迴圈結束時加 1')],
  ['#define SLOTS 3', text('counting semaphore: how many places are free', '计数信号量：还有几个空位', '計數號誌：還有幾個空位')],
] as const;

export const semMainC = cProgram('sem_main.c', ['main'], [
  '#include <stdio.h>',
  '#include <stdlib.h>',
  '#include <string.h>',
  '#include <sys/ipc.h>',
  '#include <sys/sem.h>',
  '#include <sys/shm.h>',
  '',
  ...semNumbers,
  '',
  'int main(void)',
  '{',
  '    struct sembuf open_gate = {GATE, -1, 0}, both_done = {DONE, -2, 0};',
  '    struct sembuf take = {MUTEX, -1, 0}, give = {MUTEX, +1, 0};',
  ['    int shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);', text('one page for the counter', '一页内存放计数器', '一頁記憶體放計數器')],
  ['    int semid = semget(IPC_PRIVATE, 4, IPC_CREAT | 0600);', text('a set of four semaphores, all 0', '一组四个信号量，初值都是 0', '一組四個號誌，初值都是 0')],
  '    if (shmid < 0 || semid < 0)',
  '        return 1;',
  '    int *counter = shmat(shmid, NULL, 0);',
  '    if (counter == (void *)-1)',
  '        return 1;',
  ['    semctl(semid, MUTEX, SETVAL, 1);', text('the mutex starts free', '互斥量初始为空闲', '互斥量初始為空閒')],
  ['    /* round 1: the adders run add(counter, 100000, semid, 0) */', text('no semaphore around ++', '++ 前后没有信号量', '++ 前後沒有號誌')],
  ['    semctl(semid, GATE, SETVAL, 1);', text('close the gate', '关上起跑门', '關上起跑門')],
  ['    semop(semid, &open_gate, 1);', text('gate 1 -> 0: both adders start together', '门 1 -> 0：两个加法进程同时起跑', '門 1 -> 0：兩個加法行程同時起跑')],
  ['    semop(semid, &both_done, 1);', text('sleeps until DONE is 2', '睡眠直到 DONE 为 2', '睡眠直到 DONE 為 2')],
  ['    printf("%d\\n", *counter);', text('200000 expected', '预期 200000', '預期 200000')],
  ['    memset(counter, 0, sizeof *counter);', text('back to 0 for round 2', '为第 2 轮清零', '為第 2 輪歸零')],
  ['    /* round 2: add(counter, 100000, semid, 1) */', text('P and V around each ++', '每次 ++ 前 P 后 V', '每次 ++ 前 P 後 V')],
  '    semctl(semid, GATE, SETVAL, 1);',
  '    semop(semid, &open_gate, 1);',
  '    semop(semid, &both_done, 1);',
  '    printf("%d\\n", *counter);',
  ['    semop(semid, &take, 1);', text('P: main holds the mutex', 'P：main 持有互斥量', 'P：main 持有互斥量')],
  ['    semop(semid, &give, 1);', text('V: the waiter gets it', 'V：等待者得到它', 'V：等待者得到它')],
  ['    semctl(semid, SLOTS, SETVAL, 2);', text('a counting semaphore with two places', '有两个空位的计数信号量', '有兩個空位的計數號誌')],
  ['    semctl(semid, 0, IPC_RMID);', text('sets are not freed with processes', '信号量集不随进程结束而释放', '號誌集不隨行程結束而釋放')],
  ['    shmctl(shmid, IPC_RMID, NULL);', text('nor are segments', '共享内存段也一样', '共享記憶體區段也一樣')],
  '    exit(0);',
  '}',
]);

export const semAdderC = cProgram('sem_adder.c', ['adder1', 'adder2'], [
  '#include <stdlib.h>',
  '#include <sys/ipc.h>',
  '#include <sys/sem.h>',
  '#include <sys/shm.h>',
  '',
  ...semNumbers,
  '#define TIMES 100000',
  '',
  'static void add(volatile int *counter, int times, int semid, int locked)',
  '{',
  '    struct sembuf wait_gate = {GATE, 0, 0}, done = {DONE, +1, 0};',
  '    struct sembuf take = {MUTEX, -1, 0}, give = {MUTEX, +1, 0};',
  ['    semop(semid, &wait_gate, 1);', text('sleeps until the gate is 0', '睡眠直到起跑门为 0', '睡眠直到起跑門為 0')],
  '    for (int i = 0; i < times; i++) {',
  '        if (locked)',
  ['            semop(semid, &take, 1);', text('P: sleeps while the other adder holds it', 'P：另一个加法进程持有时在此睡眠', 'P：另一個加法行程持有時在此睡眠')],
  ['        int seen = *counter;', text('read ...', '读 ...', '讀 ...')],
  ['        *counter = seen + 1;', text('... write: the other may have written in between', '... 写：另一个进程可能在这之间写过', '... 寫：另一個行程可能在這之間寫過')],
  '        if (locked)',
  ['            semop(semid, &give, 1);', text('V', 'V', 'V')],
  '    }',
  '    semop(semid, &done, 1);',
  '}',
  '',
  'int main(int argc, char **argv)',
  '{',
  '    struct sembuf take_slot = {SLOTS, -1, 0}, give_slot = {SLOTS, +1, 0};',
  '    if (argc < 3)',
  '        return 1;',
  ['    int shmid = atoi(argv[1]), semid = atoi(argv[2]);', text('ids from main', '由 main 给出的 id', '由 main 給出的 id')],
  '    volatile int *counter = shmat(shmid, NULL, 0);',
  '    if (counter == (void *)-1)',
  '        return 1;',
  ['    add(counter, TIMES, semid, 0);', text('round 1: no semaphore', '第 1 轮：没有信号量', '第 1 輪：沒有號誌')],
  ['    add(counter, TIMES, semid, 1);', text('round 2: with the mutex', '第 2 轮：使用互斥量', '第 2 輪：使用互斥量')],
  ['    semop(semid, &take_slot, 1);', text('take a place', '占一个空位', '佔一個空位')],
  ['    semop(semid, &give_slot, 1);', text('give it back', '归还空位', '歸還空位')],
  '    exit(0);',
  '}',
]);

export const semWaiterC = cProgram('sem_waiter.c', ['waiter'], [
  '#include <stdlib.h>',
  '#include <sys/ipc.h>',
  '#include <sys/sem.h>',
  '',
  ...semNumbers,
  '',
  'int main(int argc, char **argv)',
  '{',
  '    struct sembuf take = {MUTEX, -1, 0}, give = {MUTEX, +1, 0};',
  '    struct sembuf take_slot = {SLOTS, -1, 0};',
  '    if (argc < 2)',
  '        return 1;',
  '    int semid = atoi(argv[1]);',
  ['    semop(semid, &take, 1);', text('sleeps while main holds the mutex', 'main 持有互斥量时在此睡眠', 'main 持有互斥量時在此睡眠')],
  '    semop(semid, &give, 1);',
  ['    semop(semid, &take_slot, 1);', text('sleeps while no place is free', '没有空位时在此睡眠', '沒有空位時在此睡眠')],
  '    exit(0);',
  '}',
]);

/* Minimal kernel-like types for sever's fixtures (written for sever, not copied). */
#ifndef FIXTURE_TYPES_H
#define FIXTURE_TYPES_H
#define NULL ((void *)0)
typedef unsigned long size_t;
typedef long ssize_t;
typedef long long loff_t;
typedef unsigned short umode_t;
typedef unsigned int __poll_t;
typedef unsigned long long u64;
typedef _Bool bool;
#define true 1
#define false 0
#define EPOLLIN 0x1
#define EPOLLERR 0x8
#define EPOLLPRI 0x2
#define ENOENT 2
#define ENOMEM 12
#define EINVAL 22
#define ENODEV 19
#define EBUSY 16
#define ESTALE 116
#define GFP_KERNEL 0
typedef unsigned int dev_t;
#endif

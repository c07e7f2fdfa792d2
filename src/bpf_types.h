/* The kernel's fixed-width types for the BPF programs (*.bpf.c), which
 * cannot include <linux/types.h>: it needs the BPF target's asm headers. */
#ifndef IPCTOP_BPF_TYPES_H
#define IPCTOP_BPF_TYPES_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

#endif

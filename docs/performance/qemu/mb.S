/* The QEMU side of the start-up comparison in docs/performance.md: the smallest multiboot (v1) guest that does
 * what images/hello.elf does for HvBench, so both VMMs boot, print and stop the same way. It writes 'H' to the
 * debug console (port 0xE9) and 0 to isa-debug-exit (port 0xF4), which ends QEMU.
 *
 * Build:  as --32 mb.S -o mb.o && ld -m elf_i386 -Ttext-segment=0x100000 -e _start -o mb.elf mb.o
 * Run:    qemu-system-x86_64 -accel kvm -M microvm -nodefaults -display none \
 *           -device isa-debug-exit,iobase=0xf4,iosize=4 -kernel mb.elf
 *
 * A multiboot loader looks for the header only in the file's first 8 KiB, aligned to 4 bytes (Multiboot
 * Specification 0.6.96, section 3.1.1), so it is the first thing in .text, which the link command puts first.
 * With flags 0 the loader takes the load addresses from the ELF program headers. */

        .set MULTIBOOT_MAGIC,    0x1BADB002
        .set MULTIBOOT_FLAGS,    0
        .set MULTIBOOT_CHECKSUM, -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)   /* the three words must sum to 0 */

        .set DEBUG_CONSOLE_PORT, 0xE9
        .set DEBUG_EXIT_PORT,    0xF4

        .text
        .code32
        .globl _start
        .balign 4
multiboot_header:
        .long MULTIBOOT_MAGIC
        .long MULTIBOOT_FLAGS
        .long MULTIBOOT_CHECKSUM

/* Entered in 32-bit protected mode, paging off, interrupts off (section 3.2); no stack is needed. */
_start:
        movb $'H', %al
        outb %al, $DEBUG_CONSOLE_PORT
        xorl %eax, %eax
        outb %al, $DEBUG_EXIT_PORT
        /* Only reached if nothing listens on port 0xF4: stop here rather than run off the end. */
halt:
        cli
        hlt
        jmp halt

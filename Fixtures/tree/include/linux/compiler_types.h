/* Annotations every kernel file sees through -include (sever's fixture tree; written for sever). */
#ifndef FIXTURE_COMPILER_TYPES_H
#define FIXTURE_COMPILER_TYPES_H
#define __user
#define __iomem
#define __force
#define __must_check
#define __init
#define __exit
#endif

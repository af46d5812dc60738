/* The formats the engine hands over (see "whole lines of simple calls" in _stops.h): flag and
 * enum tables (fmt_xlat), a call's plans (fmt_call), and a session's whole set made ahead
 * (fmt_load: decode/cplans_<arch>.py's text, read here). */
#include "_stops.h"

/* fmt_xlat(rows, zero) -> id | -1: a table of ((value, name), ...) rows, zero the text of a flag
 * word 0 (None for an enum) */
PyObject *py_fmt_xlat(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyTuple_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "fmt_xlat(rows, zero)");
        return NULL;
    }
    if (fmt_n_xlats >= FMT_XLATS)
        return PyLong_FromLong(-1);
    struct fmt_xlat *x = &fmt_xlats[fmt_n_xlats];
    Py_ssize_t n = PyTuple_GET_SIZE(args[0]);
    x->vals = PyMem_Calloc((size_t)n + 1, sizeof *x->vals);
    x->names = PyMem_Calloc((size_t)n + 1, sizeof *x->names);
    if (x->vals == NULL || x->names == NULL)
        goto nomem;
    if (args[1] != Py_None && (x->zero = dup_utf8(args[1])) == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *row = PyTuple_GET_ITEM(args[0], i);
        if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) != 2) {
            PyErr_SetString(PyExc_TypeError, "fmt_xlat: rows of (value, name)");
            goto fail;
        }
        x->vals[i] = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(row, 0));
        x->n = i + 1; /* freed by fmt_forget from here on */
        if (PyErr_Occurred() || (x->names[i] = dup_utf8(PyTuple_GET_ITEM(row, 1))) == NULL)
            goto fail;
    }
    x->n = n;
    return PyLong_FromLong(fmt_n_xlats++);
nomem:
    PyErr_NoMemory();
fail:
    fmt_xlat_free(x);
    return NULL;
}

static int is_flags(long t) { return t >= 0 && t < fmt_n_xlats && fmt_xlats[t].zero != NULL; }
static int is_enum(long t) { return t >= 0 && t < fmt_n_xlats; }

/* an op whose registers and tables are there: the tables each op prints with, in order */
static int fmt_op_ok(long op, long reg, long param, const long *t)
{
    if (reg < 0 || reg > 5 || param < 0 || param > 5)
        return 0;
    switch (op) {
    case FOP_RBUF: return reg <= 4; /* the buffer's size is the next register */
    case FOP_XLAT: return is_enum(t[0]);
    case FOP_FLAGS: return is_flags(t[0]);
    case FOP_FIELD_FLAGS: case FOP_STAT: return is_enum(t[0]) && is_flags(t[1]);
    case FOP_SPLIT_FLAGS: return is_flags(t[0]) && is_flags(t[1]);
    case FOP_STATX: return is_flags(t[0]) && is_flags(t[1]) && is_enum(t[2]) && is_flags(t[3]);
    case FOP_SIGACTION: return is_flags(t[0]) && is_enum(t[1]);
    case FOP_SOCKADDR: case FOP_SOCKADDR_OUT: return is_enum(t[0]) && (op == FOP_SOCKADDR || param <= 5);
    case FOP_STATFS: return is_enum(t[0]) && is_flags(t[1]);
    case FOP_WSTATUS: case FOP_SIGSET: case FOP_SIGRETURN: return is_enum(t[0]);
    case FOP_STACK_T: return is_flags(t[0]);
    case FOP_XLAT_DFLT: return is_enum(t[0]) && is_enum(t[1]) && fmt_xlats[t[1]].n == 1;
    case FOP_MPOL_OUT: return is_enum(t[0]);
    case FOP_CLONE: return reg == 0 && (param == 3 || param == 4) && is_flags(t[0]) && is_enum(t[1]);
    case FOP_CLONE_ARGS: return is_flags(t[0]) && is_enum(t[1]);
    case FOP_POLLFDS: return is_flags(t[0]);
    default: return op >= FOP_D32 && op <= FOP_LAST;
    }
}

/* an op from its fields (0: refused, see fmt_op_ok) */
static int fmt_op_make(long op, long reg, long param, unsigned long long mask, unsigned long long aux,
                       const long *tab, struct fmt_op *out)
{
    if (!fmt_op_ok(op, reg, param, tab))
        return 0;
    *out = (struct fmt_op){(uint8_t)op, (uint8_t)reg, (uint8_t)param,
                           {(int16_t)tab[0], (int16_t)tab[1], (int16_t)tab[2], (int16_t)tab[3]}, mask, aux};
    return 1;
}

/* one op of fmt_call's tuple (op, register, param, mask, aux, (table, table, table, table)) */
static int fmt_op_parse(PyObject *t, struct fmt_op *out)
{
    long op, reg, param, tab[4];
    unsigned long long mask, aux;
    if (!PyArg_ParseTuple(t, "lllKK(llll)", &op, &reg, &param, &mask, &aux, &tab[0], &tab[1], &tab[2], &tab[3]))
        return -1;
    return fmt_op_make(op, reg, param, mask, aux, tab, out);
}

/* a plan with its return form ``ret`` and its select (``sel``, ``n_sel`` numbers as fmt_call's
 * select tuple) filled in, when they are ones the line code prints (0: refused) */
static int plan_set(struct fmt_plan *plan, long ret, const unsigned long long *sel, int n_sel)
{
    if (ret == FRET_NAMED) {
        if (plan->ret_op.op > FOP_FIELD_FLAGS || plan->ret_op.op == FOP_BUF || plan->ret_op.op == FOP_RBUF)
            return 0; /* (put_value's ops only) */
    } else if (ret < FRET_D || ret > FRET_POLL) {
        return 0;
    }
    plan->ret = (uint8_t)ret;
    if (n_sel == 1) { /* (bits,): the registers that must be NULL */
        if (sel[0] == 0 || sel[0] > 0x3F)
            return 0;
        plan->null_regs = (uint8_t)sel[0];
    } else if (n_sel == 2) { /* (apart_in, apart_out) */
        if (sel[0] > 5 || sel[1] > 5)
            return 0;
        plan->apart_in = (int8_t)sel[0];
        plan->apart_out = (int8_t)sel[1];
    } else if (n_sel == 3) { /* (register, mask, value): one command's plan */
        if (sel[0] > 5)
            return 0;
        plan->sel_reg = (int8_t)sel[0];
        plan->sel_mask = sel[1];
        plan->sel_value = sel[2] & sel[1];
    } else if (n_sel != 0) {
        return 0;
    }
    return 1;
}

static void plan_init(struct fmt_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->sel_reg = plan->apart_in = plan->apart_out = -1;
}

/* the plan made a call's (nr): a plan for every call replaces the call's plans; a command's, its
 * own (or joins them) */
static int plan_add(unsigned long long nr, const struct fmt_plan *plan)
{
    struct fmt_plan **at = &fmt_plans[nr];
    if (plan->sel_reg < 0) {
        fmt_plans_free(fmt_plans[nr]);
        fmt_plans[nr] = NULL;
    } else {
        while (*at != NULL && !((*at)->sel_reg == plan->sel_reg && (*at)->sel_mask == plan->sel_mask
                                && (*at)->sel_value == plan->sel_value))
            at = &(*at)->next;
    }
    struct fmt_plan *p = *at;
    if (p == NULL && (p = PyMem_Malloc(sizeof *p)) == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    struct fmt_plan *next = p == *at ? p->next : NULL;
    *p = *plan;
    p->next = next;
    *at = p;
    for (int i = 0; i < plan->n_ops; i++)
        if (plan->ops[i].op == FOP_SOCKLEN)
            fmt_inlen_reg[nr] = (unsigned char)(plan->ops[i].reg + 1);
    return 0;
}

/* fmt_call(audit_arch, nr, name, ops, ret[, select[, entry_only]]) -> bool: the format of a
 * call (native ABI only; entry_only: struct fmt_plan's), ops ((op, register, param, mask, aux, (table, table, table, table)), ...) as
 * syscope.decode.cformat compiles them, the tables fmt_xlat ids (-1: none); ret FRET_D/U/X, or
 * (FRET_NAMED, label, zero_bare, op); select (register, mask, value): the plan of the calls whose
 * register masked is value, kept with the call's other commands' plans (None: the only plan);
 * (apart_in, apart_out) or (bits,): the entries fast_call's FAST_SELECTED keeps (struct fmt_plan) */
PyObject *py_fmt_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 5 || nargs > 7 || !PyUnicode_Check(args[2]) || !PyTuple_Check(args[3])) {
        PyErr_SetString(PyExc_TypeError, "fmt_call(audit_arch, nr, name, ops, ret[, select[, entry_only]])");
        return NULL;
    }
    unsigned long arch = PyLong_AsUnsignedLongMask(args[0]);
    unsigned long long nr = PyLong_AsUnsignedLongLongMask(args[1]);
    if (PyErr_Occurred())
        return NULL;
    struct fmt_plan plan;
    plan_init(&plan);
    int entry_only = nargs == 7 ? PyObject_IsTrue(args[6]) : 0;
    if (entry_only < 0)
        return NULL;
    plan.entry_only = (uint8_t)entry_only;
    long ret;
    if (PyTuple_Check(args[4])) {
        const char *label;
        Py_ssize_t label_len;
        int zero_bare;
        PyObject *op;
        if (!PyArg_ParseTuple(args[4], "ls#pO", &ret, &label, &label_len, &zero_bare, &op))
            return NULL;
        int ok = fmt_op_parse(op, &plan.ret_op);
        if (ok < 0)
            return NULL;
        if (!ok || ret != FRET_NAMED || label_len >= (Py_ssize_t)sizeof plan.ret_label)
            Py_RETURN_FALSE;
        memcpy(plan.ret_label, label, (size_t)label_len);
        plan.ret_zero_bare = (uint8_t)zero_bare;
    } else {
        ret = PyLong_AsLong(args[4]);
        if (ret == -1 && PyErr_Occurred())
            return NULL;
        if (ret == FRET_NAMED)
            Py_RETURN_FALSE;
    }
    unsigned long long sel[3];
    int n_sel = 0;
    if (nargs >= 6 && PyTuple_Check(args[5])) {
        n_sel = (int)PyTuple_GET_SIZE(args[5]);
        for (int i = 0; i < n_sel && i < 3; i++) {
            sel[i] = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(args[5], i));
            if (PyErr_Occurred())
                return NULL;
        }
    } else if (nargs >= 6 && args[5] != Py_None) {
        PyErr_SetString(PyExc_TypeError, "fmt_call: select is a tuple or None");
        return NULL;
    }
    if (!plan_set(&plan, ret, sel, n_sel))
        Py_RETURN_FALSE;
    Py_ssize_t n_ops = PyTuple_GET_SIZE(args[3]), name_len;
    const char *name = PyUnicode_AsUTF8AndSize(args[2], &name_len);
    if (name == NULL)
        return NULL;
    if (arch_index((uint32_t)arch) != 0 || nr >= MAX_NR || n_ops > 6 || name_len >= 48)
        Py_RETURN_FALSE;
    memcpy(plan.name, name, (size_t)name_len);
    plan.n_ops = (uint8_t)n_ops;
    for (Py_ssize_t i = 0; i < n_ops; i++) {
        int ok = fmt_op_parse(PyTuple_GET_ITEM(args[3], i), &plan.ops[i]);
        if (ok <= 0) {
            if (ok < 0)
                return NULL;
            Py_RETURN_FALSE;
        }
    }
    if (plan_add(nr, &plan))
        return NULL;
    Py_RETURN_TRUE;
}

/* ---- fmt_load: a session's formats made ahead, from the generated module's text ------------ */

/* the next space-separated word of [*p, end): its start and length (0 at the end) */
static size_t next_word(const char **p, const char *end, const char **word)
{
    const char *s = *p;
    while (s < end && *s == ' ')
        s++;
    const char *e = s;
    while (e < end && *e != ' ')
        e++;
    *word = s;
    *p = e;
    return (size_t)(e - s);
}

/* a number of a word (decimal, a leading '-' wrapping as Python's int does through the
 * extension's unsigned masks); advances past it and one following ',' (0: not a number) */
static int parse_num(const char **p, const char *end, unsigned long long *out)
{
    const char *s = *p;
    int neg = s < end && *s == '-';
    s += neg;
    if (s >= end || *s < '0' || *s > '9')
        return 0;
    unsigned long long v = 0;
    while (s < end && *s >= '0' && *s <= '9')
        v = v * 10 + (unsigned long long)(*s++ - '0');
    *out = neg ? (unsigned long long)0 - v : v;
    if (s < end && *s == ',')
        s++;
    *p = s;
    return 1;
}

/* the numbers of a comma-separated word, at most ``max`` (-1: more, or not numbers) */
static int parse_nums(const char *w, size_t n, unsigned long long *out, int max)
{
    const char *p = w, *end = w + n;
    int k = 0;
    while (p < end) {
        if (k == max || !parse_num(&p, end, &out[k]))
            return -1;
        k++;
    }
    return k;
}

/* an op of the text ('op,reg,param,mask,aux[,table...]', tables by their index in TABLES, here
 * ids from ``base``): 1 made, 0 refused */
static int text_op(const char *w, size_t n, int base, int n_tables, struct fmt_op *out)
{
    unsigned long long v[9];
    int k = parse_nums(w, n, v, 9);
    if (k < 5)
        return 0;
    long tab[4] = {-1, -1, -1, -1};
    for (int i = 5; i < k; i++) {
        if (v[i] >= (unsigned long long)n_tables)
            return 0;
        tab[i - 5] = base + (long)v[i];
    }
    return fmt_op_make((long)v[0], (long)v[1], (long)v[2], v[3], v[4], tab, out);
}

/* one plan of the text ('RET SELECT ENTRY_ONLY [LABEL ZERO_BARE RETOP] OP...', cplans.py _plan):
 * 1 made, 0 refused */
static int text_plan(const char *s, const char *end, int base, int n_tables, struct fmt_plan *plan)
{
    const char *w;
    size_t n;
    unsigned long long ret, sel[3], only;
    int n_sel = 0;
    if (!(n = next_word(&s, end, &w)) || parse_nums(w, n, &ret, 1) != 1)
        return 0;
    if (!(n = next_word(&s, end, &w)))
        return 0;
    if (!(n == 1 && *w == '-') && (n_sel = parse_nums(w, n, sel, 3)) < 0)
        return 0;
    if (!(n = next_word(&s, end, &w)) || parse_nums(w, n, &only, 1) != 1)
        return 0;
    plan->entry_only = only != 0;
    const char *rest = s;
    n = next_word(&rest, end, &w);
    if (n && memchr(w, ',', n) == NULL) { /* a named return: LABEL ZERO_BARE RETOP */
        if (n >= sizeof plan->ret_label || ret != FRET_NAMED)
            return 0;
        memcpy(plan->ret_label, w, n);
        if (!(n = next_word(&rest, end, &w)) || parse_nums(w, n, &only, 1) != 1)
            return 0;
        plan->ret_zero_bare = only != 0;
        if (!(n = next_word(&rest, end, &w)) || !text_op(w, n, base, n_tables, &plan->ret_op))
            return 0;
        s = rest;
    } else if (ret == FRET_NAMED) {
        return 0;
    }
    if (!plan_set(plan, (long)ret, sel, n_sel))
        return 0;
    while ((n = next_word(&s, end, &w))) {
        if (plan->n_ops == 6 || !text_op(w, n, base, n_tables, &plan->ops[plan->n_ops]))
            return 0;
        plan->n_ops++;
    }
    return 1;
}

/* a table of the text ((zero text or None, 'value name ...'), cplans.py table) made the next id */
static int text_xlat(PyObject *item)
{
    PyObject *zero, *packed;
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2
        || !PyUnicode_Check(packed = PyTuple_GET_ITEM(item, 1))
        || ((zero = PyTuple_GET_ITEM(item, 0)) != Py_None && !PyUnicode_Check(zero))) {
        PyErr_SetString(PyExc_TypeError, "fmt_load: tables of (zero text or None, 'value name ...')");
        return -1;
    }
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(packed, &len), *end = s + len, *w;
    if (s == NULL)
        return -1;
    Py_ssize_t words = 0;
    for (const char *p = s; next_word(&p, end, &w);)
        words++;
    struct fmt_xlat *x = &fmt_xlats[fmt_n_xlats];
    x->vals = PyMem_Calloc((size_t)words / 2 + 1, sizeof *x->vals);
    x->names = PyMem_Calloc((size_t)words / 2 + 1, sizeof *x->names);
    if (x->vals == NULL || x->names == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    if (zero != Py_None && (x->zero = dup_utf8(zero)) == NULL)
        goto fail;
    for (const char *p = s; p < end && x->n < words / 2;) {
        size_t n = next_word(&p, end, &w);
        const char *v = w;
        unsigned long long value;
        if (!parse_num(&v, w + n, &value) || v != w + n || !(n = next_word(&p, end, &w))) {
            PyErr_SetString(PyExc_ValueError, "fmt_load: a table row is not 'value name'");
            goto fail;
        }
        if ((x->names[x->n] = PyMem_Malloc(n + 1)) == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        memcpy(x->names[x->n], w, n);
        x->names[x->n][n] = '\0';
        x->vals[x->n++] = value;
    }
    fmt_n_xlats++;
    return 0;
fail:
    fmt_xlat_free(x);
    return -1;
}

/* fmt_load(audit_arch, ahead, tables[, skip]) -> int: the formats made ahead for the default
 * options (decode/cplans_<arch>.py: AHEAD, a line per call 'NAME NR MARK PLAN|PLAN...', and
 * TABLES), given at once: every table, every call's plans (one refused is left out, its call's
 * lines Python's, as fmt_call's), and each call marked as fast_call(audit_arch, NR, MARK) would,
 * but those whose byte in ``skip`` (bytes by number) is not 0.  The number of calls marked; -1
 * when the tables do not fit (nothing given), 0 for another ABI than the native one. */
PyObject *py_fmt_load(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 3 || nargs > 4 || !PyUnicode_Check(args[1]) || !PyTuple_Check(args[2])
        || (nargs == 4 && args[3] != Py_None && !PyBytes_Check(args[3]))) {
        PyErr_SetString(PyExc_TypeError, "fmt_load(audit_arch, ahead, tables[, skip])");
        return NULL;
    }
    unsigned long arch = PyLong_AsUnsignedLongMask(args[0]);
    if (PyErr_Occurred())
        return NULL;
    if (arch_index((uint32_t)arch) != 0)
        return PyLong_FromLong(0);
    Py_ssize_t n_tables = PyTuple_GET_SIZE(args[2]);
    if (fmt_n_xlats + n_tables > FMT_XLATS)
        return PyLong_FromLong(-1);
    int base = fmt_n_xlats;
    for (Py_ssize_t i = 0; i < n_tables; i++)
        if (text_xlat(PyTuple_GET_ITEM(args[2], i)))
            return NULL;
    const char *skip = nargs == 4 && args[3] != Py_None ? PyBytes_AS_STRING(args[3]) : NULL;
    Py_ssize_t n_skip = skip ? PyBytes_GET_SIZE(args[3]) : 0, len;
    const char *s = PyUnicode_AsUTF8AndSize(args[1], &len), *end = s + len;
    if (s == NULL)
        return NULL;
    long marked = 0;
    while (s < end) {
        const char *eol = memchr(s, '\n', (size_t)(end - s)), *w, *name;
        if (eol == NULL)
            eol = end;
        const char *p = s;
        unsigned long long nr, mark;
        size_t name_len = next_word(&p, eol, &name), n;
        if (!name_len) { /* an empty line */
            s = eol + (eol < end);
            continue;
        }
        if (!(n = next_word(&p, eol, &w)) || parse_nums(w, n, &nr, 1) != 1
            || !(n = next_word(&p, eol, &w)) || parse_nums(w, n, &mark, 1) != 1) {
            PyErr_SetString(PyExc_ValueError, "fmt_load: a line is not 'NAME NR MARK PLAN|PLAN...'");
            return NULL;
        }
        if (nr < MAX_NR && mark <= FAST_SELECTED && name_len < sizeof fmt_plans[0]->name
            && !((Py_ssize_t)nr < n_skip && skip[nr])) {
            while (p < eol && *p == ' ')
                p++;
            while (p < eol) { /* the plans, '|' between them */
                const char *bar = memchr(p, '|', (size_t)(eol - p));
                if (bar == NULL)
                    bar = eol;
                struct fmt_plan plan;
                plan_init(&plan);
                memcpy(plan.name, name, name_len);
                if (text_plan(p, bar, base, (int)n_tables, &plan) && plan_add(nr, &plan))
                    return NULL;
                p = bar + (bar < eol);
            }
            if (mark) { /* (0: a format only, execve's: its entries are kept by keep's now) */
                fast_nr[0][nr] = (unsigned char)mark;
                marked++;
            }
        }
        s = eol + (eol < end);
    }
    return PyLong_FromLong(marked);
}

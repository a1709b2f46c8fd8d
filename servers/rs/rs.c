/* rs.c — the reincarnation server (RS). init starts it first; it reads the
 * service table (boot.conf's service lines), takes back the services a dead
 * RS left running, starts the rest on the cores their place lines give, and
 * keeps them alive: a service that dies is started again under the same
 * name, and every restart is a console line. The `service` utility talks to
 * it (proto/rs.h). */
#include "rs.h"

#include <bootload.h>
#include <stdio.h>
#include <string.h>
#include <sys.h>

static int serve_rs_status(struct srv *srv, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)srv, (void)c;
    const struct service *s = service_at(msg_payload_const(m, struct rs_index)->index);
    if (s == NULL)
        return ERR_NOENT;
    struct rs_status *o = msg_payload(r, struct rs_status);
    uint64_t up = s->state == RS_RUNNING ? (sys_now_ns() - s->started_ns) / MS : 0;
    *o = (struct rs_status){.pid = s->state == RS_RUNNING ? s->pid : 0,
                            .restarts = s->restarts,
                            .up_ms = up > UINT32_MAX ? UINT32_MAX : (uint32_t)up,
                            .core = (uint16_t)s->running_on,
                            .state = (uint8_t)s->state,
                            .heartbeat = s->conf.heartbeat_ms != 0};
    memcpy(o->name, s->conf.name, sizeof o->name);
    return OK;
}

static int serve_rs_death(struct srv *srv, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)srv, (void)c;
    const struct service *s = service_at(msg_payload_const(m, struct rs_index)->index);
    if (s == NULL || !s->has_died)
        return ERR_NOENT;
    struct rs_death *o = msg_payload(r, struct rs_death);
    *o = s->last;
    uint64_t ago = (sys_now_ns() - s->died_ns) / MS;
    o->ago_ms = ago > UINT32_MAX ? UINT32_MAX : (uint32_t)ago;
    return OK;
}

/* The service an order names, if the caller may give orders at all. */
static int ordered(struct srv_client *c, const msg_t *m, struct service **s)
{
    if (!life_may_order(c))
        return ERR_PERM;
    *s = service_named(msg_payload_const(m, struct rs_name)->name);
    return *s != NULL ? OK : ERR_NOENT;
}

/* A service not running, started now at an order (its count of deaths in a
 * row forgotten). */
static int start_now(struct service *s)
{
    s->in_a_row = 0;
    life_start(s);
    beat_tick();
    return s->state == RS_RUNNING ? OK : ERR_NOPROC;
}

static int serve_rs_restart(struct srv *srv, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)srv, (void)r;
    struct service *s;
    int err = ordered(c, m, &s);
    if (err != OK)
        return err;
    if (s->state == RS_RUNNING)
        return life_end(s, END_RESTART);
    s->restarts++;
    return start_now(s);
}

static int serve_rs_stop(struct srv *srv, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)srv, (void)r;
    struct service *s;
    int err = ordered(c, m, &s);
    if (err != OK)
        return err;
    if (s->state == RS_RUNNING)
        return life_end(s, END_STOP);
    s->state = RS_STOPPED; /* a restart waiting for its backoff is called off */
    return OK;
}

static int serve_rs_start(struct srv *srv, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)srv, (void)r;
    struct service *s;
    int err = ordered(c, m, &s);
    if (err != OK)
        return err;
    if (s->state == RS_RUNNING)
        return ERR_BUSY;
    return start_now(s);
}

/* RS's own crash, for the tests of init restarting it: the answer goes
 * first, then a store through a pointer no one mapped. */
__attribute__((noreturn)) static void crash_self(struct srv *srv, struct srv_client *c)
{
    msg_t ok = {.type = OK};
    srv_answer(srv, c, &ok);
    sys_printf("rs: crashing as ordered\n");
    *(volatile uint32_t *)(uintptr_t)0x10 = 1;
    __builtin_unreachable();
}

static int serve_rs_fault(struct srv *srv, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)r;
    struct service *s;
    int err = ordered(c, m, &s);
    if (err == ERR_NOENT && strcmp(msg_payload_const(m, struct rs_name)->name, RS_NAME) == 0)
        crash_self(srv, c);
    return err != OK ? err : beat_fault(s, c);
}

static int serve_rs_up(struct srv *srv, struct srv_client *c, const msg_t *m, msg_t *r)
{
    (void)srv, (void)r;
    if (!life_may_order(c))
        return ERR_PERM;
    const struct rs_up *u = msg_payload_const(m, struct rs_up);
    if (service_named(u->name) != NULL || strcmp(u->name, RS_NAME) == 0)
        return ERR_BUSY;
    if (!bootload_has(u->name))
        return ERR_NOENT;
    struct bootconf_service conf = {.restart = u->restart != 0,
                                    .heartbeat_ms = u->heartbeat_ms,
                                    .limit = u->limit,
                                    .backoff_ms = u->backoff_ms};
    memcpy(conf.name, u->name, sizeof conf.name);
    memcpy(conf.registers, u->name, sizeof conf.registers); /* it serves under its own name */
    int core = u->core >= 0 && (unsigned)u->core < sys_core_count() ? u->core : BOOTCONF_CORE_ANY;
    struct service *s = service_add(&conf, core);
    if (s == NULL)
        return ERR_NOMEM;
    life_start(s);
    beat_tick();
    return s->state == RS_RUNNING ? OK : ERR_NOPROC;
}

static void notified(struct srv *srv, uint64_t bits)
{
    (void)srv;
    if (bits & RS_TICK)
        beat_tick();
}

static const struct srv_op ops[] = {SRV_OPS(RS_MESSAGES)};
struct srv rs = {.name = RS_NAME, SRV_TABLE(ops), .notified = notified};

/* The core of name's place line, or any; a core that is not online means 0. */
static int placed(const struct bootconf *conf, const char *name)
{
    int core = BOOTCONF_CORE_ANY;
    for (size_t i = 0; i < conf->place_count; i++) {
        if (strcmp(conf->places[i].name, name) == 0)
            core = conf->places[i].core;
    }
    return core != BOOTCONF_CORE_ANY && (unsigned)core >= sys_core_count() ? 0 : core;
}

int main(void)
{
    static struct bootconf conf;
    err_t err = bootload_conf(&conf);
    if (err != OK) {
        sys_printf("rs: cannot read the service table: %s\n", err_str(err));
        return 1;
    }
    for (size_t i = 0; i < conf.service_count; i++) {
        if (!bootload_has(conf.services[i].name)) {
            sys_printf("rs: boot.conf:%d: no module %s in the boot archive\n",
                       conf.services[i].line, conf.services[i].name);
            continue;
        }
        if (service_add(&conf.services[i], placed(&conf, conf.services[i].name)) == NULL) {
            sys_printf("rs: no memory for the service table\n");
            return 1;
        }
    }
    if ((err = srv_start(&rs)) != OK || (err = life_watch()) != OK) {
        sys_printf("rs: cannot start: %s\n", err_str(err));
        return 1;
    }
    life_adopt();
    for (unsigned i = 0; i < services_count(); i++) {
        if (service_at(i)->state != RS_RUNNING && !service_at(i)->conf.manual)
            life_start(service_at(i));
    }
    sys_printf("rs: up on core %u, %u services\n", sys_core_id(), services_count());
    beat_tick();
    srv_run(&rs);
}

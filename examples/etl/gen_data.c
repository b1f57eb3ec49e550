/*
 * Generates the ETL example's raw data, deterministically (the same bytes
 * on every machine), in the shape of a shop's daily export:
 *
 *   orders.csv    100 000 order lines, January to March 2024
 *   products.csv  the product dimension (240 products, 12 categories)
 *
 * with the dirt real exports have, which the job must clean:
 *  - timestamps in four formats (ISO with space or 'T', dd/MM/yyyy HH:mm,
 *    yyyy/MM/dd), and some blank or "n/a";
 *  - quantities blank, "N/A", zero or negative;
 *  - prices padded with spaces, with a "$", with a decimal comma
 *    ("12,50", unreadable as a number), or "abc";
 *  - product ids in lower case or with spaces, and ids missing from the
 *    dimension;
 *  - channels in mixed case with stray spaces;
 *  - 2 % of lines sent twice (exact duplicates of an earlier line);
 *  - product names with commas and quotes (RFC 4180 quoting).
 *
 * usage: etl_gen OUTPUT_DIR [ORDER_LINES]
 * writes OUTPUT_DIR/orders.csv (100 000 lines unless told) and products.csv.
 * The committed fixtures/etl/ is this program's output; a test checks it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { NPRODUCTS = 240, NCATEGORIES = 12 };
static int NORDERS = 100000;

/* splitmix64: small, and the same sequence everywhere */
static uint64_t rng_state = 20240101;

static uint64_t next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* uniform in [0, n) */
static int pick(int n)
{
    return (int)(next() % (uint64_t)n);
}

/* true with probability per_mille / 1000 */
static int chance(int per_mille)
{
    return pick(1000) < per_mille;
}

static const char *const categories[NCATEGORIES] = {"Electronics", "Books",  "Grocery", "Toys",
                                                    "Garden",      "Sports", "Beauty",  "Clothing",
                                                    "Home",        "Office", "Music",   "Pets"};

static const char *const adjectives[] = {"Classic", "Deluxe",  "Mini",  "Eco",   "Pro",
                                         "Smart",   "Vintage", "Ultra", "Basic", "Family"};

static const char *const nouns[NCATEGORIES][4] = {
    {"Headphones", "Charger", "Cable, USB-C 2m", "Speaker"},
    {"Novel", "Cookbook", "Atlas", "\"Learn C\" Guide"},
    {"Coffee Beans", "Olive Oil", "Tea, Green", "Pasta"},
    {"Puzzle", "Robot Kit", "Plush Bear", "Board Game"},
    {"Hose", "Seeds, Tomato", "Rake", "Planter"},
    {"Yoga Mat", "Football", "Racket", "Water Bottle"},
    {"Face Cream", "Shampoo", "Lip Balm", "Perfume"},
    {"T-Shirt", "Jeans", "Socks, 3 pairs", "Jacket"},
    {"Lamp", "Pillow", "Mug", "Candle"},
    {"Notebook", "Pen Set", "Stapler", "Desk Organizer"},
    {"Vinyl Record", "Guitar Strings", "Ukulele", "Metronome"},
    {"Dog Food", "Cat Toy", "Leash", "Aquarium Filter"}};

/* A CSV field, quoted when it holds a comma or a quote (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int price_cents[NPRODUCTS + 1];

static int write_products(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/products.csv", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs("product_id,product_name,category,list_price\n", f);
    for (int i = 1; i <= NPRODUCTS; i++) {
        int cat = (i - 1) % NCATEGORIES;
        char name[128];
        snprintf(name, sizeof name, "%s %s", adjectives[pick(10)], nouns[cat][pick(4)]);
        price_cents[i] = 199 + pick(250) * 100 + (pick(2) ? 99 : 50);
        fprintf(f, "P%04d,", i);
        csv_field(f, name);
        fprintf(f, ",%s,%d.%02d\n", categories[cat], price_cents[i] / 100, price_cents[i] % 100);
    }
    return fclose(f);
}

/* Days from 2024-01-01 to (month, day) of 2024, a leap year. */
static void day_to_date(int d, int *month, int *day)
{
    static const int len[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m = 0;
    while (d >= len[m]) {
        d -= len[m];
        m++;
    }
    *month = m + 1;
    *day = d + 1;
}

static void timestamp(char *buf, size_t n)
{
    if (chance(10)) {
        snprintf(buf, n, "%s", pick(2) ? "" : "n/a");
        return;
    }
    int mo, d;
    day_to_date(pick(91), &mo, &d);
    int h = 8 + pick(14), mi = pick(60), s = pick(60);
    int style = pick(100);
    if (style < 70)
        snprintf(buf, n, "2024-%02d-%02d %02d:%02d:%02d", mo, d, h, mi, s);
    else if (style < 85)
        snprintf(buf, n, "2024-%02d-%02dT%02d:%02d:%02d", mo, d, h, mi, s);
    else if (style < 95)
        snprintf(buf, n, "%02d/%02d/2024 %02d:%02d", d, mo, h, mi);
    else
        snprintf(buf, n, "2024/%02d/%02d", mo, d);
}

static void quantity(char *buf, size_t n)
{
    int r = pick(1000);
    if (r < 20)
        buf[0] = '\0';
    else if (r < 30)
        snprintf(buf, n, "N/A");
    else if (r < 35)
        snprintf(buf, n, "0");
    else if (r < 40)
        snprintf(buf, n, "-1");
    else
        snprintf(buf, n, "%d", 1 + pick(4) + (chance(100) ? pick(10) : 0));
}

static void price(char *buf, size_t n, int product)
{
    int cents = product <= NPRODUCTS ? price_cents[product] : 999;
    /* promotions: 10 % or 25 % off now and then */
    if (chance(150))
        cents = cents * (chance(500) ? 90 : 75) / 100;
    int r = pick(1000);
    if (r < 850)
        snprintf(buf, n, "%d.%02d", cents / 100, cents % 100);
    else if (r < 900)
        snprintf(buf, n, " %d.%02d ", cents / 100, cents % 100);
    else if (r < 950)
        snprintf(buf, n, "$%d.%02d", cents / 100, cents % 100);
    else if (r < 970)
        snprintf(buf, n, "%d,%02d", cents / 100, cents % 100);
    else if (r < 980)
        buf[0] = '\0';
    else
        snprintf(buf, n, "abc");
}

static int write_orders(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/orders.csv", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs("order_id,order_ts,customer_id,product_id,quantity,unit_price,channel,store_id\n", f);
    static const char *const channels[] = {"online", "store",   "mobile", "Online",
                                           " STORE", "mobile ", "Store"};
    /* the last few lines, for duplicates sent again a little later */
    enum { RECENT = 64 };
    static char recent[RECENT][256];
    int nrecent = 0, id = 0;
    for (int line = 0; line < NORDERS; line++) {
        char row[256];
        if (nrecent >= 8 && chance(20)) {
            snprintf(row, sizeof row, "%s", recent[pick(nrecent < RECENT ? nrecent : RECENT)]);
        } else {
            char ts[48], q[16], p[48], prod[24], cust[24], store[16];
            timestamp(ts, sizeof ts);
            quantity(q, sizeof q);
            int product = chance(10) ? 900 + pick(20) : 1 + pick(NPRODUCTS);
            price(p, sizeof p, product);
            int pr = pick(100);
            if (pr < 3)
                snprintf(prod, sizeof prod, "p%04d", product);
            else if (pr < 5)
                snprintf(prod, sizeof prod, " P%04d", product);
            else
                snprintf(prod, sizeof prod, "P%04d", product);
            if (chance(50))
                cust[0] = '\0';
            else
                snprintf(cust, sizeof cust, "C%05d", 1 + pick(20000));
            const char *ch = channels[pick(7)];
            if (ch[0] == 'o' || ch[0] == 'O' || ch[0] == 'm')
                store[0] = '\0';
            else
                snprintf(store, sizeof store, "S%02d", 1 + pick(25));
            snprintf(row, sizeof row, "ORD-%07d,%s,%s,%s,%s,%s,%s,%s", ++id, ts, cust, prod, q, p,
                     ch, store);
            /* a comma inside a price must be quoted to stay one field */
            if (strchr(p, ',')) {
                snprintf(row, sizeof row, "ORD-%07d,%s,%s,%s,%s,\"%s\",%s,%s", id, ts, cust, prod,
                         q, p, ch, store);
            }
            snprintf(recent[nrecent % RECENT], sizeof recent[0], "%s", row);
            nrecent++;
        }
        fputs(row, f);
        fputc('\n', f);
    }
    return fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: %s OUTPUT_DIR [ORDER_LINES]\n", argv[0]);
        return 2;
    }
    if (argc == 3 && (NORDERS = atoi(argv[2])) <= 0) {
        fprintf(stderr, "%s: ORDER_LINES must be a positive number\n", argv[0]);
        return 2;
    }
    mkdir(argv[1], 0777); /* may exist already */
    if (write_products(argv[1]) != 0 || write_orders(argv[1]) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}

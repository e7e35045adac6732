"""The functions a query may call: an allow-list, per dialect, of pure computations.

A function is accepted only when it computes a value from its arguments and
the rows: math, text, dates, conditionals, casts, aggregates (quantiles and
approximations too), window functions, JSON extraction and array basics.
Nothing that reads files, the network, settings, variables, the catalog or the
host, sleeps, or changes session state (sequences, random seeds, logs) is
listed, and a name missing from the list is refused: new engine functions
stay out until someone reads what they do and adds them here.

Two lists, because sqlglot parses a call one of two ways:

- ``TYPED_FUNCTIONS``: sqlglot's typed nodes (``exp.Sum``, ``exp.DateTrunc``),
  by their ``sql_name()``. A typed node is sqlglot's model of one meaning,
  rendered by sqlglot's generator in each dialect's own spelling; the
  meanings listed here are pure, so the node is safe whatever the dialect.
  The generated text is parsed again and checked against the target
  dialect's list (``recheck_emitted``), so a rendering that lands on an
  unlisted name is still refused.
- ``ENGINE_FUNCTIONS``: names sqlglot does not model (``exp.Anonymous`` and
  ClickHouse's anonymous/parameterized aggregates), lower-cased, per dialect.
  DuckDB and SQLite function names are case-insensitive; ClickHouse's are
  partly case-sensitive, but no ClickHouse function differs from a listed one
  only by case, so comparing lower-cased names accepts nothing new and a
  spelling the engine does not know fails there as an unknown function.

ClickHouse aggregate combinators (``sumIf``, ``uniqExactOrNull``,
``quantilesIf``) are accepted when stripping ``COMBINATORS`` suffixes leaves a
listed aggregate of ``CLICKHOUSE_AGGREGATES``.
"""
from __future__ import annotations

from sqlglot import exp

TYPED_FUNCTIONS = frozenset({
    # logic and conditionals (AND/OR/XOR are Func nodes in sqlglot)
    "AND", "OR", "XOR", "CASE", "IF", "COALESCE", "NULLIF", "NVL2", "GREATEST", "LEAST", "EXISTS",
    "EQUAL_NULL", "DECODE_CASE",
    # casts and types
    "CAST", "TRY_CAST", "CAST_TO_STR_TYPE", "TYPEOF", "TO_NUMBER", "TO_CHAR", "TO_DOUBLE", "TO_BOOLEAN",
    "INT64", "FLOAT64", "STRING",
    # math
    "ABS", "CEIL", "FLOOR", "ROUND", "TRUNC", "SIGN", "SQRT", "CBRT", "EXP", "LN", "LOG", "POWER",
    "PI", "DEGREES", "RADIANS", "SIN", "COS", "TAN", "ASIN", "ACOS", "ATAN", "ATAN2", "SINH", "COSH",
    "TANH", "ASINH", "ACOSH", "ATANH", "COT", "FACTORIAL", "IS_NAN", "IS_INF", "SAFE_DIVIDE", "RAND",
    "WIDTH_BUCKET",
    # text
    "LOWER", "UPPER", "LENGTH", "BIT_LENGTH", "BYTE_LENGTH", "CONCAT", "CONCAT_WS", "SUBSTRING",
    "LEFT", "RIGHT", "TRIM", "PAD", "REPLACE", "REVERSE", "REPEAT", "SPACE", "INITCAP", "STR_POSITION",
    "SPLIT", "SPLIT_PART", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "TRANSLATE", "ASCII", "CHR",
    "UNICODE", "LEVENSHTEIN", "JAROWINKLER_SIMILARITY", "FORMAT", "NUMBER_TO_STR", "REGEXP_LIKE",
    "REGEXP_I_LIKE", "REGEXP_EXTRACT", "REGEXP_EXTRACT_ALL", "REGEXP_REPLACE", "REGEXP_SPLIT",
    "REGEXP_FULL_MATCH", "REGEXP_COUNT", "MD5", "SHA", "SHA2", "HEX", "UNHEX", "LOWER_HEX",
    "TO_BASE64", "FROM_BASE64", "UUID", "OVERLAY", "COLLATE", "MD5_DIGEST", "CITY_HASH64",
    "FARM_FINGERPRINT",
    # dates and times
    "CURRENT_DATE", "CURRENT_TIMESTAMP", "CURRENT_TIME", "CURRENT_DATETIME", "LOCALTIME",
    "LOCALTIMESTAMP", "UTC_DATE", "UTC_TIMESTAMP", "DATE", "TIME", "TIMESTAMP", "DATETIME",
    "DATE_TRUNC", "TIMESTAMP_TRUNC", "DATETIME_TRUNC", "TIME_TRUNC", "DATE_BIN", "EXTRACT",
    "DATE_ADD", "DATE_SUB", "DATEDIFF", "DATETIME_ADD", "DATETIME_SUB", "DATETIME_DIFF",
    "TIMESTAMP_ADD", "TIMESTAMP_SUB", "TIMESTAMPDIFF", "TIME_ADD", "TIME_SUB", "TIME_DIFF",
    "ADD_MONTHS", "MONTHS_BETWEEN", "LAST_DAY", "NEXT_DAY", "DATE_FROM_PARTS", "TIME_FROM_PARTS",
    "TIMESTAMP_FROM_PARTS", "MAKE_INTERVAL", "YEAR", "QUARTER", "MONTH", "WEEK", "WEEK_OF_YEAR",
    "DAY", "DAY_OF_MONTH", "DAY_OF_WEEK", "DAYOFWEEK_ISO", "DAY_OF_YEAR", "HOUR", "MINUTE",
    "SECOND", "DAYNAME", "MONTHNAME", "YEAR_OF_WEEK", "YEAR_OF_WEEK_ISO", "STR_TO_DATE",
    "STR_TO_TIME", "STR_TO_UNIX", "TIME_TO_STR", "TIME_TO_UNIX", "TIME_TO_TIME_STR", "TIME_STR_TO_DATE",
    "TIME_STR_TO_TIME", "TIME_STR_TO_UNIX", "UNIX_TO_TIME", "UNIX_TO_STR", "UNIX_TO_TIME_STR",
    "UNIX_SECONDS", "UNIX_MILLIS", "UNIX_MICROS", "UNIX_DATE", "DATE_STR_TO_DATE", "DATE_TO_DATE_STR",
    "DATE_FROM_UNIX_DATE", "TS_OR_DS_ADD", "TS_OR_DS_DIFF", "TS_OR_DS_TO_DATE", "TS_OR_DS_TO_DATE_STR",
    "TS_OR_DS_TO_TIME", "TS_OR_DS_TO_TIMESTAMP", "TS_OR_DS_TO_DATETIME", "CONVERT_TIMEZONE",
    "TO_DAYS", "PARSE_DATETIME", "GENERATE_DATE_ARRAY", "GENERATE_TIMESTAMP_ARRAY",
    # aggregates
    "COUNT", "COUNT_IF", "SUM", "AVG", "MIN", "MAX", "ANY_VALUE", "FIRST", "LAST", "ARG_MAX", "ARG_MIN",
    "MEDIAN", "MODE", "QUANTILE", "APPROX_QUANTILE", "APPROX_QUANTILES", "PERCENTILE_CONT",
    "PERCENTILE_DISC", "APPROX_DISTINCT", "APPROX_TOP_K", "STDDEV", "STDDEV_POP", "STDDEV_SAMP",
    "VARIANCE", "VARIANCE_POP", "CORR", "COVAR_POP", "COVAR_SAMP", "KURTOSIS", "SKEWNESS",
    "REGR_SLOPE", "REGR_INTERCEPT", "REGR_R2", "REGR_COUNT", "REGR_AVGX", "REGR_AVGY", "REGR_SXX",
    "REGR_SXY", "REGR_SYY", "LOGICAL_AND", "LOGICAL_OR", "BITWISE_AND_AGG", "BITWISE_OR_AGG",
    "BITWISE_XOR_AGG", "GROUP_CONCAT", "ARRAY_AGG", "ARRAY_UNIQUE_AGG", "ARRAY_CONCAT_AGG",
    "GROUPING", "GROUPING_ID",
    # window functions
    "ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST", "NTILE", "LAG", "LEAD",
    "FIRST_VALUE", "LAST_VALUE", "NTH_VALUE",
    # arrays, structs, maps (values built in the query)
    "ARRAY", "LIST", "STRUCT", "STRUCT_EXTRACT", "MAP", "VAR_MAP", "ARRAY_SIZE", "ARRAY_CONTAINS",
    "ARRAY_CONTAINS_ALL", "ARRAY_OVERLAPS", "ARRAY_POSITION", "ARRAY_SLICE", "ARRAY_SORT",
    "ARRAY_DISTINCT", "ARRAY_CONCAT", "ARRAY_APPEND", "ARRAY_PREPEND", "ARRAY_REVERSE",
    "ARRAY_TO_STRING", "ARRAY_SUM", "ARRAY_MAX", "ARRAY_MIN", "ARRAY_INTERSECT", "ARRAY_FIRST",
    "ARRAY_LAST", "ARRAY_ALL", "ARRAY_ANY", "FILTER", "TRANSFORM", "STRING_TO_ARRAY", "MAP_KEYS",
    "MAP_SIZE", "MAP_FROM_ENTRIES", "FLATTEN", "ARRAY_COMPACT", "UNNEST", "EXPLODE", "GENERATE_SERIES",
    "EXPLODING_GENERATE_SERIES",
    # JSON extraction from values already in the row
    "JSON_EXTRACT", "JSON_EXTRACT_SCALAR", "JSONB_EXTRACT", "JSONB_EXTRACT_SCALAR", "JSON_EXTRACT_ARRAY",
    "J_S_O_N_ARRAY", "J_S_O_N_OBJECT", "J_S_O_N_EXISTS", "JSON_KEYS", "JSON_TYPE", "JSON_FORMAT",
    "PARSE_JSON", "CHECK_JSON", "FROM_JSON",
})

# Shared by DuckDB and SQLite spellings alike; each engine's list adds its own names.
_COMMON = frozenset({
    "abs", "avg", "ceil", "ceiling", "count", "floor", "greatest", "least",
    "length", "lower", "ltrim", "max", "min", "nullif", "replace", "round", "rtrim", "sign", "substr",
    "substring", "sum", "trim", "upper", "row_number", "rank", "dense_rank", "percent_rank",
    "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value",
})

DUCKDB_FUNCTIONS = _COMMON | frozenset({
    # math
    "acos", "acosh", "add", "asin", "asinh", "atan", "atan2", "atanh", "bit_count", "cbrt", "cos",
    "cosh", "cot", "degrees", "divide", "even", "exp", "factorial", "fdiv", "fmod", "gamma", "gcd",
    "isfinite", "isinf", "isnan", "lcm", "lgamma", "ln", "log", "log10", "log2", "mod", "multiply",
    "nextafter", "pi", "pow", "power", "radians", "random", "round_even", "roundbankers", "signbit",
    "sin", "sinh", "sqrt", "subtract", "tan", "tanh", "trunc", "xor", "greatest_common_divisor",
    "least_common_multiple", "equi_width_bins",
    # text
    "array_to_string", "ascii", "bar", "bit_length", "char_length", "character_length", "chr",
    "concat", "concat_ws", "contains", "damerau_levenshtein", "editdist3", "ends_with", "format",
    "format_bytes", "formatreadabledecimalsize", "formatreadablesize", "hamming", "hash", "hex",
    "ilike_escape", "instr", "jaccard", "jaro_similarity", "jaro_winkler_similarity", "lcase", "left",
    "left_grapheme", "len", "length_grapheme", "levenshtein", "like_escape", "lpad", "md5",
    "md5_number", "md5_number_lower", "md5_number_upper", "mismatches", "nfc_normalize",
    "not_ilike_escape", "not_like_escape", "octet_length", "ord", "position", "prefix", "printf",
    "regexp_escape", "regexp_extract", "regexp_extract_all", "regexp_full_match", "regexp_matches",
    "regexp_replace", "regexp_split_to_array", "repeat", "reverse", "right", "right_grapheme", "rpad",
    "sha1", "sha256", "split", "split_part", "starts_with", "str_split", "str_split_regex",
    "string_split", "string_split_regex", "string_to_array", "strip_accents", "strlen", "strpos",
    "substring_grapheme", "suffix", "to_base64", "from_base64", "to_hex", "from_hex", "translate",
    "ucase", "unhex", "unicode", "url_decode", "url_encode", "uuid", "gen_random_uuid", "uuidv4",
    "parse_formatted_bytes", "to_base", "bin", "unbin",
    # dates and times
    "age", "ago", "century", "current_date", "current_localtime", "current_localtimestamp",
    "date_add", "date_diff", "date_part", "date_sub", "date_trunc", "datediff", "datepart", "datesub",
    "datetrunc", "day", "dayname", "dayofmonth", "dayofweek", "dayofyear", "days_in_month", "decade",
    "epoch", "epoch_ms", "epoch_ns", "epoch_us", "era", "get_current_time", "get_current_timestamp",
    "hour", "isodow", "isoyear", "julian", "last_day", "make_date", "make_time", "make_timestamp",
    "make_timestamp_ms", "make_timestamp_ns", "make_timestamptz", "microsecond", "millennium",
    "millisecond", "minute", "month", "monthname", "nanosecond", "now", "quarter", "second",
    "strftime", "strptime", "time_bucket", "timezone", "timezone_hour", "timezone_minute",
    "to_centuries", "to_days", "to_decades", "to_hours", "to_microseconds", "to_millennia",
    "to_milliseconds", "to_minutes", "to_months", "to_quarters", "to_seconds", "to_timestamp",
    "to_weeks", "to_years", "today", "transaction_timestamp", "try_strptime", "week", "weekday",
    "weekofyear", "year", "yearweek", "normalized_interval",
    # conditionals
    "if", "error",
    # aggregates
    "any_value", "approx_count_distinct", "approx_quantile", "approx_top_k", "arbitrary", "arg_max",
    "arg_max_null", "arg_min", "arg_min_null", "argmax", "argmin", "array_agg", "bit_and", "bit_or",
    "bit_xor", "bool_and", "bool_or", "corr", "count_if", "count_star", "countif", "covar_pop",
    "covar_samp", "entropy", "favg", "first", "fsum", "geomean", "geometric_mean", "group_concat",
    "histogram", "kahan_sum", "kurtosis", "kurtosis_pop", "last", "list", "listagg", "mad", "max_by",
    "mean", "median", "min_by", "mode", "product", "quantile", "quantile_cont", "quantile_disc",
    "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx",
    "regr_sxy", "regr_syy", "reservoir_quantile", "sem", "skewness", "stddev", "stddev_pop",
    "stddev_samp", "string_agg", "sumkahan", "var_pop", "var_samp", "variance", "weighted_avg", "wavg",
    # lists, structs, maps
    "array_append", "array_cat", "array_concat", "array_contains", "array_distinct", "array_extract",
    "array_filter", "array_has", "array_has_all", "array_has_any", "array_indexof", "array_intersect",
    "array_length", "array_position", "array_prepend", "array_reverse", "array_slice", "array_sort",
    "array_reverse_sort", "array_transform", "array_unique", "array_value", "cardinality",
    "element_at", "flatten", "generate_series", "range", "unnest", "list_aggregate", "list_any_value",
    "list_append", "list_avg", "list_cat", "list_concat", "list_contains", "list_count",
    "list_distinct", "list_element", "list_extract", "list_filter", "list_first", "list_has",
    "list_has_all", "list_has_any", "list_indexof", "list_last", "list_max", "list_median",
    "list_min", "list_position", "list_prepend", "list_reverse", "list_slice", "list_sort",
    "list_reverse_sort", "list_string_agg", "list_sum", "list_transform", "list_unique",
    "list_value", "list_zip", "array_zip", "map", "map_concat", "map_contains", "map_entries",
    "map_extract", "map_extract_value", "map_from_entries", "map_keys", "map_values", "row",
    "struct_extract", "struct_pack", "struct_insert", "struct_keys", "struct_values",
    # JSON in values
    "json_array_length", "json_contains", "json_exists", "json_extract", "json_extract_path",
    "json_extract_path_text", "json_extract_string", "json_keys", "json_structure", "json_type",
    "json_valid", "json_value", "to_json", "json_array", "json_object", "json_quote", "from_json",
    "json", "json_group_array", "json_group_object",
})

SQLITE_FUNCTIONS = _COMMON | frozenset({
    "coalesce", "ifnull", "char", "concat", "concat_ws", "date", "datetime", "format", "group_concat",
    "hex", "iif", "instr", "julianday", "like", "likely", "printf", "quote", "random", "strftime",
    "string_agg",
    "time", "timediff", "total", "typeof", "unhex", "unicode", "unixepoch", "unlikely",
    "acos", "asin", "atan", "atan2", "cos", "sin", "tan", "exp", "ln", "log", "log10", "log2", "mod",
    "pi", "pow", "power", "sqrt", "trunc", "degrees", "radians", "median", "percentile",
    "percentile_cont", "percentile_disc", "json_extract", "json_array_length", "json_type",
    "json_valid",
})

# Aggregates ClickHouse combinators may extend (sumIf, uniqExactIf, quantilesIf, avgOrNull...).
CLICKHOUSE_AGGREGATES = frozenset({
    "count", "sum", "avg", "min", "max", "any", "anylast", "any_value", "anyheavy", "argmax",
    "argmin", "max_by", "min_by", "avgweighted", "uniq", "uniqexact", "uniqcombined",
    "uniqcombined64", "uniqhll12", "grouparray", "groupuniqarray", "grouparraysample",
    "grouparraysorted", "groupconcat", "group_concat", "string_agg", "array_agg", "median",
    "medianexact", "mediantdigest", "quantile", "quantiles", "quantileexact", "quantilesexact",
    "quantiletdigest", "quantilestdigest", "quantiletiming", "quantilestiming", "quantiledeterministic",
    "quantileexactweighted", "quantilesexactweighted", "quantilegk", "quantilesgk", "quantiledd",
    "quantileexactlow", "quantileexacthigh", "quantileexactinclusive", "quantilesexactinclusive",
    "quantileexactexclusive", "quantilesexactexclusive", "quantilebfloat16", "quantileinterpolatedweighted",
    "stddevpop", "stddevsamp", "stddev_pop", "stddev_samp", "stddev", "varpop", "varsamp", "var_pop",
    "var_samp", "corr", "covarpop", "covarsamp", "covar_pop", "covar_samp", "skewpop",
    "skewsamp", "kurtpop", "kurtsamp", "entropy", "topk", "topkweighted", "sumwithoverflow",
    "sumkahan", "groupbitand", "groupbitor", "groupbitxor", "simplelinearregression", "first_value",
    "last_value", "rankcorr", "exponentialmovingaverage", "deltasum",
    "histogram", "intervallengthsum", "retention", "windowfunnel", "sequencematch", "sequencecount",
})
COMBINATORS = ("if", "distinct", "ornull", "ordefault", "array", "foreach", "respectnulls")

CLICKHOUSE_FUNCTIONS = CLICKHOUSE_AGGREGATES | frozenset({
    # conditionals and nulls
    "if", "multiif", "ifnull", "nullif", "coalesce", "isnull", "isnotnull", "assumenotnull",
    "tonullable", "isnan", "isfinite", "isinfinite", "ifnotfinite", "iszeroornull", "greatest", "least",
    # types and casts
    "cast", "accuratecast", "accuratecastornull", "accuratecastordefault", "totypename", "tostring",
    "tofixedstring", "toint8", "toint16", "toint32", "toint64", "toint128", "toint256", "touint8",
    "touint16", "touint32", "touint64", "touint128", "touint256", "tofloat32", "tofloat64",
    "todecimal32", "todecimal64", "todecimal128", "todecimal256", "tobool", "touuid",
    "toint8ornull", "toint16ornull", "toint32ornull", "toint64ornull", "touint8ornull",
    "touint16ornull", "touint32ornull", "touint64ornull", "tofloat32ornull", "tofloat64ornull",
    "toint32orzero", "toint64orzero", "tofloat64orzero", "todecimal64ornull", "todateornull",
    "todatetimeornull", "todate32", "todateorzero", "todatetimeorzero",
    # math and arithmetic
    "abs", "plus", "minus", "multiply", "divide", "intdiv", "intdivorzero", "modulo", "moduloorzero",
    "negate", "round", "roundbankers", "rounddown", "roundtoexp2", "floor", "ceil", "ceiling", "trunc",
    "truncate", "sqrt", "cbrt", "exp", "exp2", "exp10", "log", "ln", "log2", "log10", "log1p", "pow",
    "power", "sign", "pi", "e", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh",
    "tanh", "degrees", "radians", "gcd", "lcm", "rand", "rand32", "rand64", "randcanonical",
    "divideornull", "intdivornull", "moduloornull",
    # comparisons and logic as functions
    "equals", "notequals", "less", "greater", "lessorequals", "greaterorequals", "and", "or", "not",
    "xor", "in", "notin", "like", "notlike", "ilike", "notilike", "match", "isdistinctfrom",
    "isnotdistinctfrom",
    # text
    "length", "lengthutf8", "char_length", "character_length", "empty", "notempty", "lower", "upper",
    "lowerutf8", "upperutf8", "lcase", "ucase", "substring", "substr", "mid", "substringutf8",
    "left", "right", "leftutf8", "rightutf8", "leftpad", "rightpad", "lpad", "rpad", "leftpadutf8",
    "rightpadutf8", "concat", "concat_ws", "concatwithseparator", "trim", "trimboth", "trimleft",
    "trimright", "ltrim", "rtrim", "replace", "replaceall", "replaceone", "replaceregexpall",
    "replaceregexpone", "regexp_replace", "position", "locate", "positioncaseinsensitive",
    "positionutf8", "positioncaseinsensitiveutf8", "startswith", "endswith", "startswithutf8",
    "endswithutf8", "reverse", "reverseutf8", "repeat", "space", "format", "splitbychar",
    "splitbystring", "splitbyregexp", "splitbywhitespace", "splitbynonalpha", "arraystringconcat",
    "extract", "extractall", "extractgroups", "countsubstrings", "countmatches", "hassubstr",
    "hastoken", "multisearchany", "multimatchany", "ascii", "char", "hex", "unhex", "md5",
    "cityhash64", "siphash64", "xxhash64", "xxhash32", "murmurhash3_64", "murmurhash3_32",
    "inthash64", "farmfingerprint64", "base64encode", "base64decode", "trybase64decode",
    "generateuuidv4", "initcap", "initcaputf8", "levenshteindistance", "editdistance",
    "stringjaccardindex", "normalizeutf8nfc", "tovalidutf8", "firstline", "domain",
    "domainwithoutwww", "protocol", "path", "extracturlparameter", "topleveldomain",
    "formatreadablesize", "formatreadablequantity", "formatreadabletimedelta", "formatrow",
    "tostringcuttozero", "bar",
    # dates and times
    "now", "now64", "today", "yesterday", "todate", "todatetime", "todatetime64", "todatetime32",
    "timezone", "totimezone", "timezoneof", "toyear", "toquarter", "tomonth", "todayofyear",
    "todayofmonth", "todayofweek", "tohour", "tominute", "tosecond", "tomillisecond", "toisoyear",
    "toisoweek", "toweek", "toyearweek", "tomonday", "tostartofday", "tostartofweek",
    "tostartofmonth", "tostartofquarter", "tostartofyear", "tostartofisoyear", "tostartofhour",
    "tostartofminute", "tostartofsecond", "tostartoffiveminutes", "tostartoffifteenminutes",
    "tostartoftenminutes", "tostartofinterval", "tolastdayofmonth", "tolastdayofweek", "totime",
    "toyyyymm", "toyyyymmdd", "toyyyymmddhhmmss", "tounixtimestamp", "tounixtimestamp64milli",
    "fromunixtimestamp", "fromunixtimestamp64milli", "torelativedaynum", "torelativeweeknum",
    "torelativemonthnum", "torelativeyearnum", "torelativequarternum", "torelativehournum",
    "todayssinceyearzero", "datediff", "date_diff", "timestampdiff", "age", "date_trunc", "datetrunc",
    "date_bin",
    "adddays", "addweeks", "addmonths", "addquarters", "addyears", "addhours", "addminutes",
    "addseconds", "addinterval", "subtractdays", "subtractweeks", "subtractmonths",
    "subtractquarters", "subtractyears", "subtracthours", "subtractminutes", "subtractseconds",
    "subtractinterval", "tointervalsecond", "tointervalminute", "tointervalhour", "tointervalday",
    "tointervalweek", "tointervalmonth", "tointervalquarter", "tointervalyear", "formatdatetime",
    "formatdatetimeinjodasyntax", "parsedatetime", "parsedatetimeornull", "parsedatetimebesteffort",
    "parsedatetimebesteffortornull", "parsedatetime64besteffort", "parsedatetime64besteffortornull",
    "monthname", "datename", "makedate", "makedatetime", "makedate32", "makedatetime64",
    "timeslot", "timeslots", "date", "timestamp", "from_unixtime", "str_to_date",
    # window functions (ClickHouse spellings)
    "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead",
    "laginframe", "leadinframe", "nth_value", "first_value", "last_value", "denserank", "percentrank",
    # arrays and tuples built in the query
    "array", "tuple", "tupleelement", "arrayelement", "has", "hasall", "hasany", "indexof",
    "arrayjoin", "arraymap", "arrayfilter", "arraycount", "arraysum", "arrayavg", "arraymin",
    "arraymax", "arraysort", "arrayreversesort", "arraydistinct", "arrayuniq", "arrayconcat",
    "arrayslice", "arrayreverse", "arraypushback", "arraypushfront", "arrayexists", "arrayall",
    "arrayfirst", "arraylast", "arrayenumerate", "arraycompact", "arrayintersect", "arrayzip",
    "arrayflatten", "arraycumsum", "arraydifference", "arrayresize",
    "arrayproduct", "arrayreduce", "range", "emptyarraystring", "map", "mapkeys",
    "mapvalues", "mapcontains",
    # JSON text already in a row
    "jsonextract", "jsonextractstring", "jsonextractint", "jsonextractuint", "jsonextractfloat",
    "jsonextractbool", "jsonextractraw", "jsonextractkeys", "jsonextractarrayraw", "jsonhas",
    "jsonlength", "jsontype", "isvalidjson", "simplejsonextractstring", "simplejsonextractint",
    "simplejsonextractfloat", "simplejsonextractbool", "simplejsonextractraw", "simplejsonhas",
    "json_value", "json_query", "json_exists",
})

ENGINE_FUNCTIONS: dict[str, frozenset[str]] = {
    "duckdb": DUCKDB_FUNCTIONS,
    "clickhouse": frozenset(name.lower() for name in CLICKHOUSE_FUNCTIONS),
    "sqlite": SQLITE_FUNCTIONS,
}

# Calls whose name sqlglot keeps as written (``this``), not as a typed node's meaning.
NAMED_CALL_TYPES: tuple[type[exp.Func], ...] = (
    exp.Anonymous, exp.AnonymousAggFunc, exp.ParameterizedAgg, exp.CombinedParameterizedAgg,
)


def is_listed(name: str, dialect: str) -> bool:
    """``name`` (lower case) is an allowed engine function, directly or as a combinator of one."""
    allowed = ENGINE_FUNCTIONS[dialect]
    if name in allowed:
        return True
    return dialect == "clickhouse" and _combined_aggregate(name)


def _combined_aggregate(name: str) -> bool:
    """``sumIfOrNull`` -> ``sumIf`` -> ``sum``: combinator suffixes over a listed aggregate."""
    while True:
        suffix = next((s for s in COMBINATORS if name.endswith(s) and len(name) > len(s)), None)
        if suffix is None:
            return False
        name = name[: -len(suffix)]
        if name in CLICKHOUSE_AGGREGATES:
            return True

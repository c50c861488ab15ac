/**
 * Geography of North American Numbering Plan area codes, for quiet hours in the recipient's time.
 *
 * Area code → state/province/country follows the NANPA area code assignments (NPA database at
 * nationalnanpa.com) and the Canadian Numbering Administrator; zones follow the tz database's zone
 * descriptions and were cross-checked against libphonenumber's per-prefix time zone map. The table
 * was written by hand from those sources, not generated; nanp.test.ts checks it against
 * libphonenumber-js's metadata so an area code that metadata knows cannot go missing here. Zones
 * follow where an area code's rate centres actually keep time, including unofficial local practice
 * where a whole town keeps a neighbouring zone's clock (noted in the row), because a text that
 * arrives at 9:30 pm on the recipient's wall clock is what matters.
 */
export const NANP_TABLE_SOURCE =
  "NANPA area code assignments (nationalnanpa.com NPA database) and the Canadian Numbering " +
  "Administrator; zones from tz database zone descriptions, cross-checked against libphonenumber's " +
  "time zone map. Hand-compiled 2026-11.";

// Where tz keeps several zones with identical current rules only for history, we list them all when
// they are the only zones of the area (Alaska's towns, North Dakota's counties, Saskatchewan) and
// name the main zone otherwise (Kentucky; Indiana's Central counties are America/Chicago).
const ET = "America/New_York";
const CT = "America/Chicago";
const MT = "America/Denver";
const PT = "America/Los_Angeles";
const PHOENIX = "America/Phoenix"; // Mountain Standard Time all year
const BOISE = "America/Boise"; // Mountain: southern Idaho, eastern Oregon
const DETROIT = "America/Detroit";
const MENOMINEE = "America/Menominee"; // Central: four Michigan counties on the Wisconsin border
const INDIANA = "America/Indiana/Indianapolis"; // Eastern Indiana
const ND_CENTRAL = [
  "America/North_Dakota/Center",
  "America/North_Dakota/New_Salem",
  "America/North_Dakota/Beulah",
];
const ALASKA = [
  "America/Anchorage",
  "America/Juneau",
  "America/Sitka",
  "America/Yakutat",
  "America/Nome",
  "America/Metlakatla",
];
const ADAK = "America/Adak"; // Hawaii-Aleutian time west of 169.5°W

const TORONTO = "America/Toronto";
const WINNIPEG = "America/Winnipeg";
const REGINA = ["America/Regina", "America/Swift_Current"]; // Central Standard Time all year
const EDMONTON = "America/Edmonton";
const VANCOUVER = "America/Vancouver";
const BC_NO_DST = ["America/Creston", "America/Dawson_Creek", "America/Fort_Nelson"]; // MST all year
const HALIFAX = "America/Halifax";
const MONCTON = "America/Moncton";
const ST_JOHNS = "America/St_Johns";
const GOOSE_BAY = "America/Goose_Bay"; // Atlantic time: most of Labrador
const BLANC_SABLON = "America/Blanc-Sablon"; // Atlantic Standard Time all year: Quebec's Lower North Shore
const ATIKOKAN = "America/Atikokan"; // Eastern Standard Time all year: Atikokan, Coral Harbour

/**
 * [country, region(s), zones, area codes, why the zones are what they are].
 * `country` is "US" for states, DC and US territories (federal rules apply there), "CA" for Canada,
 * and the ISO 3166 code for the other NANP countries, whose region is the country itself.
 * A row with several regions is an area code shared by them (Canada's 902/782 and 867).
 */
export type AreaCodeRow = readonly [
  country: string,
  regions: string,
  zones: readonly string[],
  codes: string,
  why?: string,
];

export const AREA_CODE_ROWS: readonly AreaCodeRow[] = [
  // ---- United States ----
  ["US", "AL", [CT], "205 251 256 659 938"],
  ["US", "AL", [CT, ET], "334", "Phenix City and the Lanett/Valley area keep Eastern time unofficially"],
  ["US", "AK", [...ALASKA, ADAK], "907", "the western Aleutians keep Hawaii-Aleutian time"],
  ["US", "AZ", [PHOENIX], "480 520 602 623"],
  ["US", "AZ", [PHOENIX, MT], "928", "the Navajo Nation observes daylight saving time"],
  ["US", "AR", [CT], "327 479 501 870"],
  [
    "US",
    "CA",
    [PT],
    "209 213 279 310 323 341 350 357 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 " +
      "707 714 738 747 760 805 818 820 831 840 858 909 916 925 949 951",
  ],
  ["US", "CO", [MT], "303 719 720 748 970 983"],
  ["US", "CT", [ET], "203 475 860 959"],
  ["US", "DE", [ET], "302"],
  ["US", "DC", [ET], "202 771"],
  ["US", "FL", [ET], "239 305 321 324 352 386 407 561 645 656 689 727 728 754 772 786 813 863 904 941 954"],
  [
    "US",
    "FL",
    [CT, ET],
    "448 850",
    "the Panhandle west of the Apalachicola River is Central, Tallahassee Eastern",
  ],
  ["US", "GA", [ET], "229 404 470 478 678 706 762 770 912 943"],
  ["US", "HI", ["Pacific/Honolulu"], "808"],
  ["US", "ID", [BOISE, PT], "208 986", "the northern panhandle is Pacific"],
  ["US", "IL", [CT], "217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872"],
  ["US", "IN", [INDIANA], "260 317 463 765"],
  [
    "US",
    "IN",
    [CT, INDIANA],
    "219 574 812 930",
    "the northwest (Gary, Knox) and southwest (Evansville) are Central",
  ],
  ["US", "IA", [CT], "319 515 563 641 712"],
  ["US", "KS", [CT], "316 913"],
  ["US", "KS", [CT, MT], "620 785", "four western counties (Goodland, Syracuse, Tribune) are Mountain"],
  ["US", "KY", [ET], "502 859"],
  ["US", "KY", [CT, ET], "270 364", "western and south-central Kentucky are Central, Elizabethtown Eastern"],
  ["US", "KY", [ET, CT], "606", "Clinton County (Albany) is Central"],
  ["US", "LA", [CT], "225 318 337 504 985"],
  ["US", "ME", [ET], "207"],
  ["US", "MD", [ET], "227 240 301 410 443 667"],
  ["US", "MA", [ET], "339 351 413 508 617 774 781 857 978"],
  ["US", "MI", [DETROIT], "231 248 269 313 517 586 616 734 810 947 989"],
  ["US", "MI", [DETROIT, MENOMINEE], "906", "Gogebic, Iron, Dickinson and Menominee counties are Central"],
  ["US", "MN", [CT], "218 320 507 612 651 763 952"],
  ["US", "MS", [CT], "228 601 662 769"],
  ["US", "MO", [CT], "235 314 417 557 573 636 660 816 975"],
  ["US", "MT", [MT], "406"],
  ["US", "NE", [CT], "402 531"],
  ["US", "NE", [CT, MT], "308", "the Panhandle (Scottsbluff, Sidney) is Mountain"],
  ["US", "NV", [PT], "702 725"],
  ["US", "NV", [PT, MT], "775", "West Wendover is Mountain, Jackpot keeps Mountain time unofficially"],
  ["US", "NH", [ET], "603"],
  ["US", "NJ", [ET], "201 551 609 640 732 848 856 862 908 973"],
  ["US", "NM", [MT], "505 575"],
  [
    "US",
    "NY",
    [ET],
    "212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934",
  ],
  ["US", "NC", [ET], "252 336 472 704 743 828 910 919 980 984"],
  ["US", "ND", [CT, ...ND_CENTRAL, MT], "701", "the southwest (Dickinson, Bowman) is Mountain"],
  ["US", "OH", [ET], "216 220 234 283 326 330 380 419 436 440 513 567 614 740 937"],
  ["US", "OK", [CT], "405 539 572 918"],
  ["US", "OK", [CT, MT], "580", "Kenton (Cimarron County) keeps Mountain time unofficially"],
  ["US", "OR", [PT], "503 971"],
  ["US", "OR", [PT, BOISE], "458 541", "Malheur County (Ontario, Nyssa, Vale) is Mountain"],
  ["US", "PA", [ET], "215 223 267 272 412 445 484 570 582 610 717 724 814 835 878"],
  ["US", "RI", [ET], "401"],
  ["US", "SC", [ET], "803 821 839 843 854 864"],
  ["US", "SD", [CT, MT], "605", "West River (Rapid City) is Mountain"],
  ["US", "TN", [CT], "615 629 731 901"],
  ["US", "TN", [ET], "865"],
  ["US", "TN", [ET, CT], "423 729", "Marion, Sequatchie and Bledsoe counties are Central"],
  ["US", "TN", [CT, ET], "931", "Cumberland County (Crossville) is Eastern"],
  [
    "US",
    "TX",
    [CT],
    "210 214 254 281 325 346 361 409 430 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 " +
      "972 979",
  ],
  ["US", "TX", [CT, MT], "432", "Culberson County (Van Horn) keeps Mountain time unofficially"],
  ["US", "TX", [MT], "915", "El Paso and Hudspeth counties are Mountain"],
  ["US", "UT", [MT], "385 435 801"],
  ["US", "VT", [ET], "802"],
  ["US", "VA", [ET], "276 434 540 571 686 703 757 804 826 948"],
  ["US", "WA", [PT], "206 253 360 425 509 564"],
  ["US", "WV", [ET], "304 681"],
  ["US", "WI", [CT], "262 274 353 414 534 608 715 920"],
  ["US", "WY", [MT], "307"],
  // US territories: USPS codes as region.
  ["US", "PR", ["America/Puerto_Rico"], "787 939"],
  ["US", "VI", ["America/St_Thomas"], "340"],
  ["US", "GU", ["Pacific/Guam"], "671"],
  ["US", "MP", ["Pacific/Saipan"], "670"],
  ["US", "AS", ["Pacific/Pago_Pago"], "684"],

  // ---- Canada ----
  ["CA", "AB", [EDMONTON], "368 403 587 780 825"],
  ["CA", "BC", [VANCOUVER], "604"],
  [
    "CA",
    "BC",
    [VANCOUVER, EDMONTON, ...BC_NO_DST],
    "236 250 257 672 778",
    "East Kootenay is Mountain; Creston and the Peace River region keep MST all year",
  ],
  ["CA", "MB", [WINNIPEG], "204 431 584"],
  ["CA", "NB", [MONCTON], "428 506"],
  ["CA", "NL", [ST_JOHNS, GOOSE_BAY], "709 879", "most of Labrador keeps Atlantic time"],
  ["CA", "NS PE", [HALIFAX], "782 902"],
  ["CA", "ON", [TORONTO], "226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 905 942"],
  [
    "CA",
    "ON",
    [TORONTO, WINNIPEG, ATIKOKAN],
    "807",
    "Kenora, Dryden and Fort Frances are Central; Atikokan keeps EST all year",
  ],
  ["CA", "QC", [TORONTO], "263 354 438 450 468 514 579 819 873"],
  [
    "CA",
    "QC",
    [TORONTO, HALIFAX, BLANC_SABLON],
    "367 418 581",
    "the Magdalen Islands keep Atlantic time; the Lower North Shore keeps AST all year",
  ],
  [
    "CA",
    "SK",
    [...REGINA, EDMONTON, WINNIPEG],
    "306 474 639",
    "Lloydminster keeps Alberta time; Creighton keeps Manitoba time",
  ],
  [
    "CA",
    "NT NU YT",
    [
      "America/Yellowknife",
      "America/Inuvik",
      "America/Iqaluit",
      "America/Rankin_Inlet",
      "America/Cambridge_Bay",
      "America/Resolute",
      ATIKOKAN,
      "America/Whitehorse",
      "America/Dawson",
    ],
    "867",
    "three territories; Southampton Island keeps EST all year; Yukon keeps MST all year",
  ],

  // ---- Other NANP countries (region = country) ----
  ["AG", "AG", ["America/Antigua"], "268"],
  ["AI", "AI", ["America/Anguilla"], "264"],
  ["BB", "BB", ["America/Barbados"], "246"],
  ["BM", "BM", ["Atlantic/Bermuda"], "441"],
  ["BS", "BS", ["America/Nassau"], "242"],
  ["DM", "DM", ["America/Dominica"], "767"],
  ["DO", "DO", ["America/Santo_Domingo"], "809 829 849"],
  ["GD", "GD", ["America/Grenada"], "473"],
  ["JM", "JM", ["America/Jamaica"], "658 876"],
  ["KN", "KN", ["America/St_Kitts"], "869"],
  ["KY", "KY", ["America/Cayman"], "345"],
  ["LC", "LC", ["America/St_Lucia"], "758"],
  ["MS", "MS", ["America/Montserrat"], "664"],
  ["SX", "SX", ["America/Lower_Princes"], "721"],
  ["TC", "TC", ["America/Grand_Turk"], "649"],
  ["TT", "TT", ["America/Port_of_Spain"], "868"],
  ["VC", "VC", ["America/St_Vincent"], "784"],
  ["VG", "VG", ["America/Tortola"], "284"],
];

/**
 * Area codes assigned by NANPA whose numbers libphonenumber-js 1.13.16 does not yet treat as valid
 * (recent overlays). Kept in the table so lookups work once the metadata catches up.
 */
export const AHEAD_OF_PHONE_METADATA: readonly string[] = ["357", "436", "624", "729", "861"];

/**
 * Geographic area codes libphonenumber-js 1.13.16 treats as valid that this table cannot place yet.
 * Lookups for them return undefined, and callers treat the recipient's zone as unknown.
 */
export const UNPLACED_AREA_CODES: readonly string[] = ["273"];

/**
 * Exchanges (NPA + NXX) whose rate centre pins a multi-zone area code to fewer zones. Only
 * well-known exchanges, each agreeing with libphonenumber's per-prefix map; every other exchange
 * keeps its area code's full candidate list. Zones must be a subset of the area code's.
 */
export const EXCHANGE_ZONES: Readonly<Record<string, readonly [zones: readonly string[], place: string]>> = {
  // Florida Panhandle
  "850434": [[CT], "Pensacola"],
  "850438": [[CT], "Pensacola"],
  "850452": [[CT], "Pensacola (Naval Air Station)"],
  "850474": [[CT], "Pensacola (University of West Florida)"],
  "850763": [[CT], "Panama City"],
  "850769": [[CT], "Panama City"],
  "850785": [[CT], "Panama City"],
  "850862": [[CT], "Fort Walton Beach"],
  "850863": [[CT], "Fort Walton Beach"],
  "850487": [[ET], "Tallahassee (State of Florida)"],
  "850488": [[ET], "Tallahassee (State of Florida)"],
  "850644": [[ET], "Tallahassee (Florida State University)"],
  // Idaho
  "208334": [[BOISE], "Boise"],
  "208426": [[BOISE], "Boise (Boise State University)"],
  "208664": [[PT], "Coeur d'Alene"],
  "208667": [[PT], "Coeur d'Alene"],
  "208882": [[PT], "Moscow"],
  "208883": [[PT], "Moscow"],
  "208885": [[PT], "Moscow (University of Idaho)"],
  // Oregon
  "541881": [[BOISE], "Ontario"],
  "541889": [[BOISE], "Ontario"],
  // Nevada
  "775664": [[MT], "West Wendover"],
  "775784": [[PT], "Reno (University of Nevada)"],
  // Indiana
  "219931": [[CT], "Hammond"],
  "219932": [[CT], "Hammond"],
  "219933": [[CT], "Hammond"],
  "574631": [[INDIANA], "Notre Dame"],
  "812422": [[CT], "Evansville"],
  "812423": [[CT], "Evansville"],
  "812464": [[CT], "Evansville (University of Southern Indiana)"],
  "812855": [[INDIANA], "Bloomington (Indiana University)"],
  // Kentucky
  "270442": [[CT], "Paducah"],
  "270443": [[CT], "Paducah"],
  "270745": [[CT], "Bowling Green (Western Kentucky University)"],
  "270781": [[CT], "Bowling Green"],
  "270765": [[ET], "Elizabethtown"],
  "606387": [[CT], "Albany"],
  // Tennessee
  "423265": [[ET], "Chattanooga"],
  "423266": [[ET], "Chattanooga"],
  "423267": [[ET], "Chattanooga"],
  // Michigan Upper Peninsula
  "906227": [[DETROIT], "Marquette (Northern Michigan University)"],
  "906635": [[DETROIT], "Sault Ste. Marie"],
  "906774": [[MENOMINEE], "Iron Mountain"],
  "906863": [[MENOMINEE], "Menominee"],
  "906864": [[MENOMINEE], "Menominee"],
  "906932": [[MENOMINEE], "Ironwood"],
  // Dakotas, Nebraska, Kansas
  "605341": [[MT], "Rapid City"],
  "605342": [[MT], "Rapid City"],
  "605343": [[MT], "Rapid City"],
  "605334": [[CT], "Sioux Falls"],
  "605336": [[CT], "Sioux Falls"],
  "701225": [[MT], "Dickinson"],
  "701227": [[MT], "Dickinson"],
  "701232": [[CT], "Fargo"],
  "701235": [[CT], "Fargo"],
  "701237": [[CT], "Fargo"],
  "308632": [[MT], "Scottsbluff"],
  "308635": [[MT], "Scottsbluff"],
  "785890": [[MT], "Goodland"],
  "785899": [[MT], "Goodland"],
  // Canada
  "807343": [[TORONTO], "Thunder Bay"],
  "807344": [[TORONTO], "Thunder Bay"],
  "807468": [[WINNIPEG], "Kenora"],
  "418986": [[HALIFAX], "Magdalen Islands"],
  "418937": [[HALIFAX], "Magdalen Islands"],
  "709737": [[ST_JOHNS], "St. John's (Memorial University)"],
  "709896": [[GOOSE_BAY], "Happy Valley-Goose Bay"],
  "709944": [[GOOSE_BAY], "Labrador City"],
};

/**
 * Zones for regions that only share area codes with others, where the shared code's zone list is
 * wider than the region itself (867 spans three territories).
 */
export const REGION_ZONES: Readonly<Record<string, readonly string[]>> = {
  YT: ["America/Whitehorse", "America/Dawson"],
  NT: ["America/Yellowknife", "America/Inuvik"],
  NU: ["America/Iqaluit", "America/Rankin_Inlet", "America/Cambridge_Bay", "America/Resolute", ATIKOKAN],
};

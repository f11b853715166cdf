<?php
// The test app for an application mounted at "/": prints the SCRIPT_NAME and PATH_INFO lighttpd sent.
// php-cgi (cgi.fix_pathinfo=1) re-splits them itself and keeps the values it received in ORIG_*,
// so those win when present.
header('Content-Type: text/plain');
function sent($k) {
    if (array_key_exists("ORIG_$k", $_SERVER)) return $_SERVER["ORIG_$k"];
    return array_key_exists($k, $_SERVER) ? $_SERVER[$k] : '(unset)';
}
echo "APP=php-cgi\n";
echo "SCRIPT_NAME=", sent('SCRIPT_NAME'), "\n";
echo "PATH_INFO=", sent('PATH_INFO'), "\n";
echo "REQUEST_URI=", $_SERVER['REQUEST_URI'], "\n";

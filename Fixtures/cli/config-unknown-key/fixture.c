/* A C file beside a .sever.yml with an unknown key: sever must stop before parsing it. */
int sever_config_fixture;

# Sphinx configuration of the MEC Orchestrator documentation.

extensions = [
    'openstackdocstheme',
    'oslo_config.sphinxext',
    'oslo_policy.sphinxext',
    'cliff.sphinxext',
]

autoprogram_cliff_application = 'openstack'

openstackdocs_repo_name = 'openstack/mec-orchestrator'
openstackdocs_use_storyboard = False
openstackdocs_auto_name = False

project = 'MEC Orchestrator'
copyright = '2026, MEC Orchestrator developers'
master_doc = 'index'
exclude_patterns = ['_build']
pygments_style = 'native'
html_theme = 'openstackdocs'
html_static_path = []

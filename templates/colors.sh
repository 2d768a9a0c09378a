# Shell variables from varietal. Use with: . ~/.cache/varietal/theme/colors.sh
wallpaper={{ wallpaper | shell_quote }}
background='{{ background }}'
foreground='{{ foreground }}'
cursor='{{ cursor }}'
{% for c in colors %}{% if loop.index0 < 16 %}color{{ loop.index0 }}='{{ c }}'
{% endif %}{% endfor -%}
export VARIETAL_WALLPAPER="$wallpaper"
